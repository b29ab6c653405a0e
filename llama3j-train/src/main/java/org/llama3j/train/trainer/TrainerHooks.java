package org.llama3j.train.trainer;

/** Observation and fault-injection points of a {@link Trainer} run (tests use them to inject faults). */
public interface TrainerHooks {

    TrainerHooks NONE = new TrainerHooks() {
    };

    /** Called after the gradients of step batch {@code batchIndex} are summed, before the fault check. */
    default void afterBackward(long batchIndex, float[] grads) {
    }

    /** Sees (and may replace) the mean loss of step batch {@code batchIndex} before the fault check. */
    default float observeLoss(long batchIndex, float loss) {
        return loss;
    }
}
