package org.llama3j.train.layers;

import org.llama3j.kernel.VectorMath;

/**
 * RMSNorm, {@code y = x / sqrt(mean(x²) + eps) · w} (Zhang &amp; Sennrich 2019; Meta
 * {@code llama/model.py} {@code RMSNorm}). The forward pass keeps {@code rstd = 1/sqrt(mean(x²)+eps)}
 * per row for the backward pass.
 */
public final class RmsNorm {

    private RmsNorm() {
    }

    /** out[r] = x[r]·rstd[r]·w, for {@code rows} rows of {@code dim}. */
    public static void forward(WorkerPool pool, float[] x, float[] w, int wOff, float eps,
                               float[] out, float[] rstd, int rows, int dim) {
        pool.forRange(rows, 16, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * dim;
                float meanSq = VectorMath.dotInLaneOrder(x, base, x, base, dim) / dim;
                float s = (float) (1.0 / Math.sqrt(meanSq + eps));
                rstd[r] = s;
                for (int i = 0; i < dim; i++) {
                    out[base + i] = x[base + i] * s * w[wOff + i];
                }
            }
        });
    }

    /**
     * With g = dOut·w: dx += rstd·g − rstd³/dim · x · (g·x); dw += Σ_rows dOut·x·rstd.
     * dX is parallel over rows, dW over columns (each column sums rows in order).
     */
    public static void backward(WorkerPool pool, float[] dOut, float[] x, float[] w, int wOff,
                                float[] rstd, float[] dx, float[] dw, int dwOff, int rows, int dim) {
        pool.forRange(rows, 16, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * dim;
                float s = rstd[r];
                float gx = 0f;
                for (int i = 0; i < dim; i++) {
                    gx += dOut[base + i] * w[wOff + i] * x[base + i];
                }
                float c = s * s * s * gx / dim;
                for (int i = 0; i < dim; i++) {
                    dx[base + i] += s * dOut[base + i] * w[wOff + i] - c * x[base + i];
                }
            }
        });
        if (dw == null) {   // a frozen norm weight (adapter training): dX only
            return;
        }
        pool.forRange(dim, 64, (c0, c1) -> {
            for (int r = 0; r < rows; r++) {
                int base = r * dim;
                float s = rstd[r];
                for (int i = c0; i < c1; i++) {
                    dw[dwOff + i] += dOut[base + i] * x[base + i] * s;
                }
            }
        });
    }
}
