package org.llama3j.posttrain.run;

import java.nio.file.Path;
import org.llama3j.train.optim.AdamWConfig;

/**
 * Optimizer and bookkeeping of a post-training run.
 *
 * @param steps           optimizer steps
 * @param lr              peak learning rate (linear warmup, cosine decay to {@code lr·minLrRatio})
 * @param gradClip        global L2 gradient norm limit (backbone and heads together)
 * @param logEvery        steps between progress/log lines (every step is logged to JSON)
 * @param evalEvery       steps between evaluations (0: only at the end)
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param keep            checkpoints kept
 * @param out             output directory: {@code log.jsonl}, {@code loss.png}, {@code checkpoints/}, {@code model.l3jc}
 */
public record RunSettings(int steps, float lr, int warmupSteps, float minLrRatio, double gradClip, AdamWConfig adam,
                          int logEvery, int evalEvery, int checkpointEvery, int keep, Path out, long seed,
                          int threads) {
    public RunSettings {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (warmupSteps < 0 || warmupSteps >= steps) {
            throw new IllegalArgumentException("optimizer.warmupSteps must be in [0, steps), got " + warmupSteps
                    + " with steps " + steps);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("lr must be > 0, got " + lr);
        }
        if (!(gradClip > 0)) {
            throw new IllegalArgumentException("gradClip must be > 0, got " + gradClip);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }
}
