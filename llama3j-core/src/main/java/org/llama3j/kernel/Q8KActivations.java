package org.llama3j.kernel;

/**
 * Activations quantized to ggml's {@code block_q8_K} (blocks of 256: a float scale, 256 int8 and
 * 16 sums of 16 quants), the form llama.cpp's CPU backend multiplies K-quant weights with
 * ({@code vec_dot_type} of Q4_K, Q5_K and Q6_K). Quantization as {@code quantize_row_q8_K_ref}
 * (ggml-quants.c; the x86 CPU backend calls it): {@code iscale = -127/max} where {@code max} is
 * the element of largest magnitude with its sign, {@code q = min(127, nearest_int(iscale·x))}
 * (round half to even), {@code d = 1/iscale}. Held by {@link Activations}, computed lazily.
 */
final class Q8KActivations {
    /** ggml-common.h {@code QK_K}. */
    static final int QK_K = 256;

    byte[] quants = new byte[0];
    /** One per 256-element block. */
    float[] scales = new float[0];
    /** Sums of 16 consecutive quants, 16 per block. */
    int[] bsums = new int[0];
    /** The quants as floats (exact small integers). */
    float[] floats = new float[0];
    /** As {@link #floats} with elements 32..63 of every 64 divided by 16, for Q4_K's unshifted high nibbles. */
    float[] q4kFloats = new float[0];
    /** {@code q · d} per element: what the matrix–matrix path multiplies. */
    float[] dequantized = new float[0];

    /** Quantizes {@code tokens × n} inputs ({@code n} a multiple of 256). */
    void quantize(float[] x, int tokens, int n) {
        if (n % QK_K != 0) {
            throw new IllegalStateException("Q8_K activations need a length divisible by 256, got " + n);
        }
        int total = tokens * n;
        int blocks = total / QK_K;
        if (quants.length < total) {
            quants = new byte[total];
            floats = new float[total];
            q4kFloats = new float[total];
            dequantized = new float[total];
        }
        if (scales.length < blocks) {
            scales = new float[blocks];
            bsums = new int[blocks * 16];
        }
        for (int b = 0; b < blocks; b++) {
            quantizeBlock(x, b);
        }
    }

    private void quantizeBlock(float[] x, int b) {
        int base = b * QK_K;
        float max = 0f, amax = 0f;
        for (int j = 0; j < QK_K; j++) {
            float ax = Math.abs(x[base + j]);
            if (ax > amax) {
                amax = ax;
                max = x[base + j];
            }
        }
        if (amax == 0f) {
            scales[b] = 0f;
            for (int j = 0; j < QK_K; j++) {
                set(base + j, 0, 0f);
            }
            java.util.Arrays.fill(bsums, b * 16, b * 16 + 16, 0);
            return;
        }
        float iscale = -127f / max;
        float d = 1f / iscale;
        for (int j = 0; j < QK_K; j++) {
            set(base + j, Math.min(127, (int) Math.rint(iscale * x[base + j])), d);
        }
        for (int g = 0; g < 16; g++) {
            int sum = 0;
            for (int i = 0; i < 16; i++) {
                sum += quants[base + g * 16 + i];
            }
            bsums[b * 16 + g] = sum;
        }
        scales[b] = d;
    }

    private void set(int i, int q, float d) {
        quants[i] = (byte) q;
        floats[i] = q;
        q4kFloats[i] = (i & 32) != 0 ? q * 0.0625f : q;
        dequantized[i] = q * d;
    }
}
