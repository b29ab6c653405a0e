package org.llama3j.server.scheduler;

import org.llama3j.generate.FinishReason;

/**
 * How a sequence ended.
 *
 * @param tokens        generated ids (without the end token)
 * @param text          their text, cut before a matched stop string
 * @param finishReason  why it ended
 * @param endToken      the end token that stopped it, or -1
 * @param promptTokens  prompt length
 * @param cachedTokens  prompt tokens whose KV entries were reused from the slot's previous request
 * @param queueNanos    time waiting for a slot
 * @param promptNanos   time from admission to the first sampled token (prefill, interleaved with others' decoding)
 * @param generateNanos time from the first sampled token to the end
 */
public record SequenceResult(int[] tokens, String text, FinishReason finishReason, int endToken, int promptTokens,
                             int cachedTokens, long queueNanos, long promptNanos, long generateNanos) {
}
