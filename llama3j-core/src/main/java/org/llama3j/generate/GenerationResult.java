package org.llama3j.generate;

/**
 * The outcome of one generation.
 *
 * @param tokens        generated ids (the end token that stopped generation is not included)
 * @param text          their text, cut before a matched stop string
 * @param finishReason  why it ended
 * @param endToken      the end token that stopped it, or -1; not yet in the KV cache
 * @param promptNanos   time spent on the input tokens (prefill)
 * @param generateNanos time spent generating
 */
public record GenerationResult(int[] inputTokens, int[] tokens, String text, FinishReason finishReason, int endToken,
                               long promptNanos, long generateNanos) {

    /** Prefill speed in tokens per second. */
    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : inputTokens.length * 1e9 / promptNanos;
    }

    /** Decode speed in tokens per second. */
    public double generatedTokensPerSecond() {
        return generateNanos == 0 ? 0 : tokens.length * 1e9 / generateNanos;
    }
}
