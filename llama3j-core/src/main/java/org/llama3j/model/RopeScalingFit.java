package org.llama3j.model;

/**
 * Recovers a llama3 {@link RopeScaling} from a model's RoPE frequency divisors, for writing
 * config.json from a GGUF, which only stores the divisors ({@code rope_freqs.weight}). The factor
 * is the largest divisor (the long wavelengths are divided by it); the band limits are searched
 * among the values Meta's releases use (low 1, high 4) and a few others, with the original context
 * a power of two. Any candidate that reproduces every divisor describes the same model.
 */
final class RopeScalingFit {
    /** Relative agreement required between a candidate's divisors and the model's (float rounding). */
    private static final double TOLERANCE = 1e-4;
    private static final double[][] BANDS = {{1, 4}, {1, 2}, {2, 4}, {1, 8}};

    private RopeScalingFit() {
    }

    static boolean isUnscaled(LlamaConfig c) {
        for (float d : c.ropeFrequencyDivisors()) {
            if (d != 1f) {
                return false;
            }
        }
        return true;
    }

    /** A scaling that reproduces the model's divisors, or null when they are all 1 or none fits. */
    static RopeScaling of(LlamaConfig c) {
        if (isUnscaled(c)) {
            return null;
        }
        double factor = 0;
        for (float d : c.ropeFrequencyDivisors()) {
            factor = Math.max(factor, d);
        }
        for (double[] band : BANDS) {
            for (int original = 16; original <= 1 << 22; original *= 2) {
                RopeScaling rs = new RopeScaling(factor, band[0], band[1], original);
                if (matches(rs, c)) {
                    return rs;
                }
            }
        }
        return null;
    }

    /** Fails unless {@code rs} gives the model's divisors. */
    static void check(RopeScaling rs, LlamaConfig c) {
        if (!matches(rs, c)) {
            throw new ModelFormatException("rope scaling " + rs + " does not give the model's RoPE frequency divisors "
                    + java.util.Arrays.toString(c.ropeFrequencyDivisors()));
        }
    }

    private static boolean matches(RopeScaling rs, LlamaConfig c) {
        float[] want = c.ropeFrequencyDivisors();
        float[] got = rs.frequencyDivisors(c.headDim(), c.ropeTheta());
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(got[i] - want[i]) > TOLERANCE * want[i]) {
                return false;
            }
        }
        return true;
    }
}
