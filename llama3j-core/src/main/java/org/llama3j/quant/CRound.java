package org.llama3j.quant;

/** C library rounding the ggml reference quantizers rely on. */
final class CRound {
    private CRound() {
    }

    /**
     * C {@code roundf}: nearest integer, halfway cases away from zero ({@link Math#round} rounds
     * them towards positive infinity instead, which differs at -0.5, -1.5, ...). Done in double,
     * where {@code |x| + 0.5} is exact for every float below 2^52.
     */
    static float roundf(float x) {
        if (!Float.isFinite(x)) {
            return x;
        }
        return (float) Math.copySign(Math.floor(Math.abs((double) x) + 0.5), x);
    }
}
