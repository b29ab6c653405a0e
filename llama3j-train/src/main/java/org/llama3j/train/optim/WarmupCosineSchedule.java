package org.llama3j.train.optim;

/**
 * Learning rate: linear warmup to {@code maxLr} over {@code warmupSteps}, then cosine decay to
 * {@code minLrRatio · maxLr} at {@code totalSteps}, constant after (Llama 3 paper §3.4.1: linear
 * warmup of 8000 steps, cosine decay to 8e-5 from 8e-4, i.e. ratio 0.1). Steps count from 0;
 * step s of warmup uses {@code maxLr · (s+1)/warmupSteps} so the first update is not zero.
 */
public record WarmupCosineSchedule(float maxLr, int warmupSteps, int totalSteps, float minLrRatio) {

    public WarmupCosineSchedule {
        if (!(maxLr > 0f) || warmupSteps < 0 || totalSteps <= warmupSteps
                || !(minLrRatio >= 0f && minLrRatio <= 1f)) {
            throw new IllegalArgumentException("schedule needs maxLr > 0, 0 <= warmupSteps < totalSteps, "
                    + "minLrRatio in [0, 1]; got maxLr=" + maxLr + " warmup=" + warmupSteps
                    + " total=" + totalSteps + " minLrRatio=" + minLrRatio);
        }
    }

    public float lr(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("schedule step must be >= 0, got " + step);
        }
        if (step < warmupSteps) {
            return (float) ((double) maxLr * (step + 1) / warmupSteps);
        }
        double minLr = (double) maxLr * minLrRatio;
        if (step >= totalSteps) {
            return (float) minLr;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return (float) (minLr + cosine * (maxLr - minLr));
    }
}
