package org.llama3j.server.scheduler;

import java.time.Duration;

/**
 * How the batching scheduler is sized.
 *
 * @param slots         sequences decoded together at most ({@code --parallel}); each slot owns a KV cache
 * @param contextLength positions per slot ({@code --ctx}): prompt plus generated tokens of one request
 * @param queueCapacity requests that may wait for a slot; more are refused (HTTP 429)
 * @param prefillBudget prompt tokens prefilled per scheduler iteration, so a long prompt is fed in
 *                      chunks between decode steps instead of stalling every running sequence
 * @param stepPause     a pause after each iteration; zero in production, tests use it to make requests slow
 */
public record SchedulerConfig(int slots, int contextLength, int queueCapacity, int prefillBudget, Duration stepPause) {
    public SchedulerConfig {
        if (slots < 1) {
            throw new IllegalArgumentException("parallel slots must be >= 1, got " + slots);
        }
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be >= 2, got " + contextLength);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1, got " + queueCapacity);
        }
        if (prefillBudget < 1) {
            throw new IllegalArgumentException("prefill budget must be >= 1, got " + prefillBudget);
        }
        if (stepPause == null || stepPause.isNegative()) {
            throw new IllegalArgumentException("step pause must be >= 0");
        }
    }

    public static SchedulerConfig of(int slots, int contextLength) {
        return new SchedulerConfig(slots, contextLength, 64, 256, Duration.ZERO);
    }
}
