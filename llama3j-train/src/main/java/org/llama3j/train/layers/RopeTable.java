package org.llama3j.train.layers;

import java.util.Optional;

/**
 * Inverse frequencies and the cos/sin cache of rotary position embeddings (Su et al. 2021,
 * RoFormer). Pair i of a head rotates by {@code pos · θ^(−2i/headDim)}, optionally passed through
 * {@link RopeScaling}. Angles are formed in double and rounded once, so the cache does not depend
 * on float rounding of {@code pos · freq}.
 */
public final class RopeTable {

    private final int headDim;
    private final int maxPositions;
    private final double[] invFreq;
    private final float[] cos;
    private final float[] sin;

    public RopeTable(int headDim, int maxPositions, double theta, Optional<RopeScaling> scaling) {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("RoPE head_dim must be a positive even number, got " + headDim);
        }
        if (maxPositions <= 0) {
            throw new IllegalArgumentException("RoPE maxPositions must be > 0, got " + maxPositions);
        }
        if (!(theta > 1.0)) {
            throw new IllegalArgumentException("RoPE theta must be > 1, got " + theta);
        }
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        int half = headDim / 2;
        this.invFreq = new double[half];
        for (int i = 0; i < half; i++) {
            // Meta model.py precompute_freqs_cis: 1 / theta ** (arange(0, dim, 2) / dim)
            double f = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            invFreq[i] = scaling.map(s -> s.scale(f)).orElse(f);
        }
        this.cos = new float[maxPositions * half];
        this.sin = new float[maxPositions * half];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * invFreq[i];
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
    }

    public int headDim() {
        return headDim;
    }

    public int maxPositions() {
        return maxPositions;
    }

    /** A copy of the inverse-frequency table (radians per position, one per rotated pair). */
    public double[] inverseFrequencies() {
        return invFreq.clone();
    }

    float cos(int pos, int pair) {
        return cos[pos * (headDim / 2) + pair];
    }

    float sin(int pos, int pair) {
        return sin[pos * (headDim / 2) + pair];
    }
}
