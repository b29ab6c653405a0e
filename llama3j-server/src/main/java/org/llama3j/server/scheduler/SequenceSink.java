package org.llama3j.server.scheduler;

/**
 * Receives a sequence's output. Called on the scheduler thread, so implementations must only hand
 * the events over (e.g. to a queue) and never block.
 */
public interface SequenceSink {
    void onToken(TokenOutput token);

    /** The sequence ended normally (including cancellation). Called exactly once, or {@link #onError} instead. */
    void onFinish(SequenceResult result);

    /** The sequence failed inside the model; its slot has been freed. */
    void onError(RuntimeException error);
}
