package org.llama3j.posttrain.data;

/**
 * A batch for the training model: {@code rows × seqLen} input tokens, next-token targets
 * ({@code -100} where not trained), per-token document ids (padding and packed examples are separate
 * documents, so attention never crosses them).
 */
public record TokenBatch(int[] tokens, int[] targets, int[] docIds, int rows, int seqLen) {
}
