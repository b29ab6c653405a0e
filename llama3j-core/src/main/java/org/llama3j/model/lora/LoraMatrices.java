package org.llama3j.model.lora;

/**
 * One adapted projection: {@code a} is {@code [rank][in]} and {@code b} is {@code [out][rank]},
 * both row-major FP32, b's rows in GGUF order (Meta's interleaved RoPE order for q and k).
 */
public record LoraMatrices(int rank, int in, int out, float[] a, float[] b) {

    public LoraMatrices {
        if ((long) rank * in != a.length || (long) out * rank != b.length) {
            throw new IllegalArgumentException("LoRA matrices: A has " + a.length + " values for [" + rank + ", " + in
                    + "], B has " + b.length + " for [" + out + ", " + rank + "]");
        }
    }

    /** {@code W[o][i] += scale·Σ_k B[o][k]·A[k][i]} on a row-major {@code [out][in]} matrix. */
    public void addDeltaTo(float[] w, float scale) {
        if (w.length != (long) out * in) {
            throw new IllegalArgumentException("weight has " + w.length + " values, LoRA delta is " + out + " x " + in);
        }
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < rank; k++) {
                float c = scale * b[o * rank + k];
                if (c == 0f) {
                    continue;
                }
                int ar = k * in;
                int wr = o * in;
                for (int i = 0; i < in; i++) {
                    w[wr + i] += c * a[ar + i];
                }
            }
        }
    }

    /**
     * The side path {@code y[t] += scale·B·(A·x[t])} for {@code tokens} rows of x ({@code [t][in]})
     * and y ({@code [t][out]}); {@code u} is scratch of {@code rank} floats.
     */
    public void apply(float[] x, int xOff, float[] y, int yOff, float scale, float[] u) {
        for (int k = 0; k < rank; k++) {
            float s = 0f;
            int ar = k * in;
            for (int i = 0; i < in; i++) {
                s += a[ar + i] * x[xOff + i];
            }
            u[k] = s * scale;
        }
        for (int o = 0; o < out; o++) {
            float s = 0f;
            int br = o * rank;
            for (int k = 0; k < rank; k++) {
                s += b[br + k] * u[k];
            }
            y[yOff + o] += s;
        }
    }
}
