package org.llama3j.server.scheduler;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counters the scheduler keeps for /metrics; written by the scheduler thread, read by anyone. */
public final class SchedulerStats {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxBatch = new AtomicInteger();
    final AtomicLong decodeSteps = new AtomicLong();
    final AtomicLong batchedTokens = new AtomicLong();
    final AtomicLong promptTokens = new AtomicLong();
    final AtomicLong cachedPromptTokens = new AtomicLong();
    final AtomicLong prefillTokens = new AtomicLong();
    final AtomicLong generatedTokens = new AtomicLong();
    final AtomicLong finished = new AtomicLong();
    final AtomicLong cancelled = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    /** Seconds per batched decode step (Prometheus client default buckets, finer at the low end). */
    final org.llama3j.server.http.Histogram decodeStepSeconds = new org.llama3j.server.http.Histogram(
            new double[] {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5});

    /** Sequences holding a slot now. */
    public int active() {
        return active.get();
    }

    /** The largest number of sequences one decode step has run together since start. */
    public int maxBatch() {
        return maxBatch.get();
    }

    public long decodeSteps() {
        return decodeSteps.get();
    }

    /** Sum over decode steps of the batch size (divide by {@link #decodeSteps()} for the mean). */
    public long batchedTokens() {
        return batchedTokens.get();
    }

    public long promptTokens() {
        return promptTokens.get();
    }

    /** Prompt tokens served from a slot's cache instead of being recomputed. */
    public long cachedPromptTokens() {
        return cachedPromptTokens.get();
    }

    /** Prompt tokens actually run through the model. */
    public long prefillTokens() {
        return prefillTokens.get();
    }

    public long generatedTokens() {
        return generatedTokens.get();
    }

    public long finished() {
        return finished.get();
    }

    public long cancelled() {
        return cancelled.get();
    }

    public long failed() {
        return failed.get();
    }

    public org.llama3j.server.http.Histogram decodeStepSeconds() {
        return decodeStepSeconds;
    }

    /** Sequences refused because the queue was full. */
    public long rejected() {
        return rejected.get();
    }
}
