package org.llama3j.train.layers;

/**
 * A bias-free linear layer {@code y = x·Wᵀ}: x is {@code [rows][in]}, W is row-major
 * {@code [out][in]} (the layout of PyTorch's {@code nn.Linear.weight} and of a GGUF matrix with
 * ne0 = in), y is {@code [rows][out]}. All arrays are flat, addressed by an offset, so a matrix can
 * be a view into the flat parameter array.
 *
 * <p>Backward passes <em>accumulate</em> into dX and dW (llm.c convention), so a residual branch
 * or a tied weight adds its share without a temporary.
 *
 * <p>Loop orders: every inner loop runs over a contiguous row ({@link VectorMath}); each parallel
 * block owns a disjoint slice of the output and walks the shared operand once per block, so a row
 * of W is read from cache by all rows of the block.
 */
public final class Linear {

    /** Rows of x handled together in {@link #backwardInput}; they share each W row read. */
    private static final int ROW_TILE = 8;
    /** Rows of W handled together in {@link #forward}/{@link #backwardWeight}. */
    private static final int OUT_TILE = 16;

    private Linear() {
    }

    /** y[r][o] = Σᵢ x[r][i]·W[o][i]. Parallel over blocks of output columns. */
    public static void forward(WorkerPool pool, float[] x, int xOff, float[] w, int wOff,
                               float[] y, int yOff, int rows, int in, int out) {
        pool.forRange(out, OUT_TILE, (o0, o1) -> {
            for (int ob = o0; ob < o1; ob += OUT_TILE) {
                int oe = Math.min(o1, ob + OUT_TILE);
                for (int r = 0; r < rows; r++) {
                    int xr = xOff + r * in;
                    int yr = yOff + r * out;
                    int o = ob;
                    for (; o + 4 <= oe; o += 4) {
                        int w0 = wOff + o * in;
                        VectorMath.dot4(x, xr, w, w0, w0 + in, w0 + 2 * in, w0 + 3 * in, in, y, yr + o);
                    }
                    for (; o < oe; o++) {
                        y[yr + o] = VectorMath.dot(x, xr, w, wOff + o * in, in);
                    }
                }
            }
        });
    }

    /** dX[r][i] += Σₒ dY[r][o]·W[o][i]. Parallel over blocks of rows. */
    public static void backwardInput(WorkerPool pool, float[] dy, int dyOff, float[] w, int wOff,
                                     float[] dx, int dxOff, int rows, int in, int out) {
        pool.forRange(rows, ROW_TILE, (r0, r1) -> {
            for (int rb = r0; rb < r1; rb += ROW_TILE) {
                int re = Math.min(r1, rb + ROW_TILE);
                int o = 0;
                for (; o + 4 <= out; o += 4) {
                    int w0 = wOff + o * in;
                    for (int r = rb; r < re; r++) {
                        int g = dyOff + r * out + o;
                        VectorMath.axpy4(dy[g], dy[g + 1], dy[g + 2], dy[g + 3],
                                w, w0, w0 + in, w0 + 2 * in, w0 + 3 * in, dx, dxOff + r * in, in);
                    }
                }
                for (; o < out; o++) {
                    for (int r = rb; r < re; r++) {
                        VectorMath.axpy(dy[dyOff + r * out + o], w, wOff + o * in, dx, dxOff + r * in, in);
                    }
                }
            }
        });
    }

    /** dW[o][i] += Σᵣ dY[r][o]·x[r][i]. Parallel over blocks of output rows of W. */
    public static void backwardWeight(WorkerPool pool, float[] dy, int dyOff, float[] x, int xOff,
                                      float[] dw, int dwOff, int rows, int in, int out) {
        pool.forRange(out, OUT_TILE, (o0, o1) -> {
            for (int ob = o0; ob < o1; ob += OUT_TILE) {
                int oe = Math.min(o1, ob + OUT_TILE);
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    int x0 = xOff + r * in;
                    int d0 = dyOff + r * out;
                    for (int o = ob; o < oe; o++) {
                        VectorMath.axpy4(dy[d0 + o], dy[d0 + out + o], dy[d0 + 2 * out + o], dy[d0 + 3 * out + o],
                                x, x0, x0 + in, x0 + 2 * in, x0 + 3 * in, dw, dwOff + o * in, in);
                    }
                }
                for (; r < rows; r++) {
                    for (int o = ob; o < oe; o++) {
                        VectorMath.axpy(dy[dyOff + r * out + o], x, xOff + r * in, dw, dwOff + o * in, in);
                    }
                }
            }
        });
    }
}
