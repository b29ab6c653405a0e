package org.llama3j.train.layers;

import org.llama3j.kernel.Sgemm;

/**
 * A bias-free linear layer {@code y = x·Wᵀ}: x is {@code [rows][in]}, W is row-major
 * {@code [out][in]} (the layout of PyTorch's {@code nn.Linear.weight} and of a GGUF matrix with
 * ne0 = in), y is {@code [rows][out]}. All arrays are flat, addressed by an offset, so a matrix can
 * be a view into the flat parameter array.
 *
 * <p>Backward passes <em>accumulate</em> into dX and dW (llm.c convention), so a residual branch
 * or a tied weight adds its share without a temporary.
 *
 * <p>All three products are core's {@link Sgemm} (packed panels, the register-blocked
 * micro-kernel the inference prefill runs too): forward {@code y = x·Wᵀ} packs W's rows;
 * backwardInput {@code dX += dY·W} and backwardWeight {@code dW += dYᵀ·x} read their B operand
 * (W, x) row by row as it lies, and backwardWeight packs dY read column-wise. Each output element
 * is summed in a fixed order by one worker, so results are the same for any thread count.
 */
public final class Linear {

    private Linear() {
    }

    /** y[r][o] = Σᵢ x[r][i]·W[o][i]. */
    public static void forward(WorkerPool pool, float[] x, int xOff, float[] w, int wOff,
                               float[] y, int yOff, int rows, int in, int out) {
        Sgemm.multiply(pool, rows, out, in, x, xOff, in, 1, w, wOff, in, Sgemm.Layout.ROWS_N, y, yOff, out, false);
    }

    /** dX[r][i] += Σₒ dY[r][o]·W[o][i]. */
    public static void backwardInput(WorkerPool pool, float[] dy, int dyOff, float[] w, int wOff,
                                     float[] dx, int dxOff, int rows, int in, int out) {
        Sgemm.multiply(pool, rows, in, out, dy, dyOff, out, 1, w, wOff, in, Sgemm.Layout.ROWS_K, dx, dxOff, in, true);
    }

    /**
     * dW[o][i] += Σᵣ dY[r][o]·x[r][i]. The GEMM packs its A operand (a transpose, rows × the
     * smaller side): for {@code out > in} it computes dWᵀ = xᵀ·dY instead, so that the output head
     * (out = vocabulary, in = dim) packs xᵀ (rows × dim) rather than dYᵀ (rows × vocab, 32× more at
     * vocab 4096, re-read from memory once per column panel).
     */
    public static void backwardWeight(WorkerPool pool, float[] dy, int dyOff, float[] x, int xOff,
                                      float[] dw, int dwOff, int rows, int in, int out) {
        if (out > in) {
            Sgemm.multiply(pool, in, out, rows, x, xOff, 1, in, dy, dyOff, out, Sgemm.Layout.ROWS_K,
                    dw, dwOff, 1, in, true);
        } else {
            Sgemm.multiply(pool, out, in, rows, dy, dyOff, 1, out, x, xOff, in, Sgemm.Layout.ROWS_K, dw, dwOff, in, true);
        }
    }
}
