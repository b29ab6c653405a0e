package org.llama3j.safety.guard;

/**
 * Classifier score: the probability of {@code unsafe} as the first generated token (the scoring
 * rule of the Llama Guard 2 / 3 model cards), with a decision threshold (0.5 in the model cards).
 */
public record GuardScore(double unsafeProbability, double threshold) {
    public static final double DEFAULT_THRESHOLD = 0.5;

    public GuardScore {
        if (!(unsafeProbability >= 0.0 && unsafeProbability <= 1.0)) {
            throw new IllegalArgumentException("unsafe probability must be in [0,1], got " + unsafeProbability);
        }
        if (!(threshold > 0.0 && threshold < 1.0)) {
            throw new IllegalArgumentException("threshold must be in (0,1), got " + threshold);
        }
    }

    public GuardScore(double unsafeProbability) {
        this(unsafeProbability, DEFAULT_THRESHOLD);
    }

    public boolean unsafe() {
        return unsafeProbability >= threshold;
    }
}
