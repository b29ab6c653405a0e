package org.llama3j.train.model;

import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.WarmupCosineSchedule;

/**
 * Everything that fixes a training run's arithmetic: model sizes, optimizer, schedule, clipping,
 * thread count and seed. Same config ⇒ same bits ({@code threads} does not change results either,
 * see {@link org.llama3j.train.layers.WorkerPool}).
 */
public record TrainConfig(ModelShape shape, AdamWConfig optimizer, WarmupCosineSchedule schedule,
                          double gradClipNorm, int threads, long seed) {

    /** Llama 3 clips the global gradient norm at 1.0 (torchtitan {@code max_norm = 1.0}). */
    public static final double LLAMA3_GRAD_CLIP = 1.0;

    public TrainConfig {
        if (shape == null || optimizer == null || schedule == null) {
            throw new IllegalArgumentException("TrainConfig needs shape, optimizer and schedule");
        }
        if (!(gradClipNorm > 0)) {
            throw new IllegalArgumentException("gradClipNorm must be > 0, got " + gradClipNorm);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }
}
