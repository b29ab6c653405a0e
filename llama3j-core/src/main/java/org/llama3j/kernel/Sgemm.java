package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on float arrays with strides, {@code C(i, j) (+)= Σₖ A(i, k)·B(j, k)},
 * Goto/BLIS style: B is packed, {@link #PANEL} columns at a time, into a k-major panel
 * ({@code panel[k·PANEL + j]}); a register-blocked micro-kernel of {@link #TILE} rows × two vectors
 * of columns walks k with two panel loads and six broadcasts of A feeding twelve FMAs, with no
 * horizontal reductions. It is the one micro-kernel of the project: the training layers call
 * {@link #multiply} and the inference prefill ({@link PackedGemm}) runs {@link #panel} over panels
 * that {@link PanelPacking} dequantizes from weight tensors into the same layout.
 *
 * <p>A is addressed as {@code a[aOff + i·aRow + k·aCol]} (so x row-major and dYᵀ read
 * column-wise are both just strides). Row-major A ({@code aCol = 1}: activations, x forward, dY for
 * dX) is read in place, six row streams: packing it cost a copy per 2n FLOPs (10% of a training
 * step at n = 128). Other A (dYᵀ for dW: reading it in place, one cache line per k, measured 5–10×
 * slower) is first packed into row-major strips of {@link #TILE} rows; so is the last, partial, tile
 * of row-major A (zero rows pad it). Either way the micro-kernel reads six rows at
 * {@code a[rowStart + kk]}, a unit stride in the loop counter, so C2 hoists the bounds checks.
 *
 * <p>Determinism: each C element is summed over k = 0…K−1 in order, in one lane of one
 * accumulator starting at zero ({@code Math.fma} chained in k order, bit for bit), by whichever
 * worker owns its panel; then added to C (or stored). So results do not depend on the thread
 * count, the tile a row falls in, nor on JIT state (vector FMA is exactly rounded everywhere).
 */
public final class Sgemm {

    /** How B(j, k) is stored. */
    public enum Layout {
        /** {@code b[bOff + j·ldb + k]}: n rows of k (a weight matrix {@code [out][in]}). */
        ROWS_N,
        /** {@code b[bOff + k·ldb + j]}: k rows of n. */
        ROWS_K
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Columns of C per packed panel: two vectors. */
    public static final int PANEL = 2 * L;
    /** Rows of C per micro-tile. */
    public static final int TILE = 6;

    /** Per-thread B panel. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Per-thread buffer for the sums of an edge tile. */
    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[TILE * PANEL]);
    /** Per-calling-thread packed A (read by the pool's workers during the call). */
    private static final ThreadLocal<float[][]> PACKED_A = ThreadLocal.withInitial(() -> new float[1][0]);

    private Sgemm() {
    }

    /**
     * Computes C for rows {@code [0, m)} and columns {@code [0, n)}, C row-major
     * ({@code c[cOff + i·ldc + j]}), parallel over column panels on {@code loop}
     * ({@code Parallel::forRange}, or a pool of the caller's).
     *
     * @param accumulate add into C instead of overwriting it
     */
    public static void multiply(Parallel.Loop loop, int m, int n, int k,
                                float[] a, int aOff, int aRow, int aCol,
                                float[] b, int bOff, int ldb, Layout layout,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        multiply(loop, m, n, k, a, aOff, aRow, aCol, b, bOff, ldb, layout, c, cOff, ldc, 1, accumulate);
    }

    /**
     * As {@link #multiply(Parallel.Loop, int, int, int, float[], int, int, int, float[], int, int, Layout, float[], int, int, boolean)}
     * with C(i, j) at {@code c[cOff + i·cRow + j·cCol]}: {@code cCol = 1} is row-major C,
     * {@code cRow = 1} writes Cᵀ (a transposed result; its tiles are stored element by element).
     */
    public static void multiply(Parallel.Loop loop, int m, int n, int k,
                                float[] a, int aOff, int aRow, int aCol,
                                float[] b, int bOff, int ldb, Layout layout,
                                float[] c, int cOff, int cRow, int cCol, boolean accumulate) {
        // Row-major A is read in place (six row streams) but for its partial last tile; other
        // layouts are packed into strips first.
        boolean inPlace = aCol == 1;
        float[] packedA = inPlace ? packTail(a, aOff, aRow, m, k) : packA(a, aOff, aRow, aCol, m, k, (m + TILE - 1) / TILE);
        int panels = (n + PANEL - 1) / PANEL;
        loop.forRange(panels, 1, (p0, p1) -> {
            float[][] scratch = SCRATCH.get();
            if (scratch[0].length < PANEL * k) {
                scratch[0] = new float[PANEL * k];
            }
            float[] panel = scratch[0];
            for (int p = p0; p < p1; p++) {
                int n0 = p * PANEL;
                int width = Math.min(PANEL, n - n0);
                pack(b, bOff, ldb, layout, n0, width, k, panel);
                tiles(panel, width, k, inPlace ? a : null, aOff, aRow, packedA, m, c, cOff + n0 * cCol, cRow, cCol, accumulate);
            }
        });
    }

    /**
     * The last, partial, tile of row-major A (rows {@code [m − m mod TILE, m)}, row stride
     * {@code aRow}) as one strip padded with zero rows, in this thread's buffer; {@code null} when m
     * is a multiple of {@link #TILE}. Pass it to {@link #panel} with the same A.
     */
    static float[] packTail(float[] a, int aOff, int aRow, int m, int k) {
        int rows = m % TILE;
        return rows == 0 ? null : packA(a, aOff + (m - rows) * aRow, aRow, 1, rows, k, 1);
    }

    /**
     * C rows {@code [0, m)} × the {@code width} columns of one packed {@code panel} (k-major,
     * {@link #PANEL} wide, zeros past width), stored row-major at {@code c[cOff + i·ldc + j]}: A
     * row-major in place at {@code a[aOff + i·aRow + kk]}, its partial last tile from
     * {@link #packTail}.
     */
    static void panel(float[] panel, int width, int k, float[] a, int aOff, int aRow, float[] tail, int m,
                      float[] c, int cOff, int ldc) {
        tiles(panel, width, k, a, aOff, aRow, tail, m, c, cOff, ldc, 1, false);
    }

    /**
     * Every row tile against one panel. With {@code a} (row-major, in place) the full tiles read
     * it and the partial one reads the strip {@code packedA}; without, all tiles read the strips.
     */
    private static void tiles(float[] panel, int width, int k, float[] a, int aOff, int aRow, float[] packedA, int m,
                              float[] c, int c0, int cRow, int cCol, boolean accumulate) {
        int tiles = (m + TILE - 1) / TILE;
        int fullTiles = m / TILE;
        for (int t = 0; t < tiles; t++) {
            int m0 = t * TILE;
            int cAt = c0 + m0 * cRow;
            int rows = Math.min(TILE, m - m0);
            if (a == null) {
                tile(panel, k, packedA, t * TILE * k, k, c, cAt, cRow, cCol, rows, width, accumulate);
            } else if (t < fullTiles) {
                tile(panel, k, a, aOff + m0 * aRow, aRow, c, cAt, cRow, cCol, rows, width, accumulate);
            } else {
                tile(panel, k, packedA, 0, k, c, cAt, cRow, cCol, rows, width, accumulate);
            }
        }
    }

    /** A as row-major strips: {@code packed[t·TILE·k + i·k + kk] = A(t·TILE + i, kk)}, rows past m zero. */
    private static float[] packA(float[] a, int aOff, int aRow, int aCol, int m, int k, int tiles) {
        float[][] holder = PACKED_A.get();
        int size = tiles * TILE * k;
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        float[] packed = holder[0];
        int done = 0;
        if (aRow == 1) {
            // A's rows are columns of a row-major matrix (dYᵀ): six neighbours per k. Blocks of 64 k
            // for all tiles, so the 64 source rows stay cached from one tile to the next instead of
            // each tile walking the whole matrix (one cache line and TLB entry per k).
            done = m / TILE;
            for (int k0 = 0; k0 < k; k0 += 64) {
                int kEnd = Math.min(k, k0 + 64);
                for (int t = 0; t < done; t++) {
                    for (int kk = k0, at = aOff + t * TILE + k0 * aCol, dst = t * TILE * k + k0; kk < kEnd;
                         kk++, at += aCol, dst++) {
                        packed[dst] = a[at];
                        packed[dst + k] = a[at + 1];
                        packed[dst + 2 * k] = a[at + 2];
                        packed[dst + 3 * k] = a[at + 3];
                        packed[dst + 4 * k] = a[at + 4];
                        packed[dst + 5 * k] = a[at + 5];
                    }
                }
            }
        }
        for (int t = done; t < tiles; t++) {
            int base = t * TILE * k;
            int rows = Math.min(TILE, m - t * TILE);
            int src = aOff + t * TILE * aRow;
            for (int i = 0; i < TILE; i++) {
                int row = src + i * aRow;
                for (int kk = 0, dst = base + i * k; kk < k; kk++, dst++) {
                    packed[dst] = i < rows ? a[row + kk * aCol] : 0f;
                }
            }
        }
        return packed;
    }

    /** Columns {@code [n0, n0 + width)} of B into {@code panel[k·PANEL + j]}, zeros beyond width. */
    private static void pack(float[] b, int bOff, int ldb, Layout layout, int n0, int width, int k, float[] panel) {
        if (layout == Layout.ROWS_K) {
            for (int kk = 0; kk < k; kk++) {
                int src = bOff + kk * ldb + n0;
                int dst = kk * PANEL;
                System.arraycopy(b, src, panel, dst, width);
                for (int j = width; j < PANEL; j++) {
                    panel[dst + j] = 0f;
                }
            }
            return;
        }
        // ROWS_N: a transpose; in blocks of 64 k so the panel tile being written stays in L1
        for (int k0 = 0; k0 < k; k0 += 64) {
            int kEnd = Math.min(k, k0 + 64);
            for (int j = 0; j < PANEL; j++) {
                if (j < width) {
                    int src = bOff + (n0 + j) * ldb;
                    for (int kk = k0; kk < kEnd; kk++) {
                        panel[kk * PANEL + j] = b[src + kk];
                    }
                } else {
                    for (int kk = k0; kk < kEnd; kk++) {
                        panel[kk * PANEL + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * One micro-tile: C rows {@code [0, rows)} × panel columns {@code [0, width)}; A(i, kk) at
     * {@code a[a0 + i·rs + kk]} (packed strips: rs = k; row-major in place: rs = row length);
     * C(i, j) at {@code c[c0 + i·ldc + j·cCol]}.
     */
    private static void tile(float[] p, int k, float[] a, int a0, int rs, float[] c, int c0, int ldc, int cCol,
                             int rows, int width, boolean accumulate) {
        FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F);
        FloatVector s10 = FloatVector.zero(F), s11 = FloatVector.zero(F);
        FloatVector s20 = FloatVector.zero(F), s21 = FloatVector.zero(F);
        FloatVector s30 = FloatVector.zero(F), s31 = FloatVector.zero(F);
        FloatVector s40 = FloatVector.zero(F), s41 = FloatVector.zero(F);
        FloatVector s50 = FloatVector.zero(F), s51 = FloatVector.zero(F);
        int a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs;
        for (int kk = 0; kk < k; kk++) {
            FloatVector b0 = FloatVector.fromArray(F, p, kk * PANEL);
            FloatVector b1 = FloatVector.fromArray(F, p, kk * PANEL + L);
            FloatVector v = FloatVector.broadcast(F, a[a0 + kk]);
            s00 = b0.fma(v, s00);
            s01 = b1.fma(v, s01);
            v = FloatVector.broadcast(F, a[a1 + kk]);
            s10 = b0.fma(v, s10);
            s11 = b1.fma(v, s11);
            v = FloatVector.broadcast(F, a[a2 + kk]);
            s20 = b0.fma(v, s20);
            s21 = b1.fma(v, s21);
            v = FloatVector.broadcast(F, a[a3 + kk]);
            s30 = b0.fma(v, s30);
            s31 = b1.fma(v, s31);
            v = FloatVector.broadcast(F, a[a4 + kk]);
            s40 = b0.fma(v, s40);
            s41 = b1.fma(v, s41);
            v = FloatVector.broadcast(F, a[a5 + kk]);
            s50 = b0.fma(v, s50);
            s51 = b1.fma(v, s51);
        }
        // No vector may be passed to a method here: when C2 does not inline that method, the
        // accumulators stay boxed through the loop (measured 7x slower). Full tiles store inline;
        // edge tiles go through a float buffer.
        if (rows == TILE && width == PANEL && cCol == 1) {
            if (accumulate) {
                s00 = s00.add(FloatVector.fromArray(F, c, c0));
                s01 = s01.add(FloatVector.fromArray(F, c, c0 + L));
                s10 = s10.add(FloatVector.fromArray(F, c, c0 + ldc));
                s11 = s11.add(FloatVector.fromArray(F, c, c0 + ldc + L));
                s20 = s20.add(FloatVector.fromArray(F, c, c0 + 2 * ldc));
                s21 = s21.add(FloatVector.fromArray(F, c, c0 + 2 * ldc + L));
                s30 = s30.add(FloatVector.fromArray(F, c, c0 + 3 * ldc));
                s31 = s31.add(FloatVector.fromArray(F, c, c0 + 3 * ldc + L));
                s40 = s40.add(FloatVector.fromArray(F, c, c0 + 4 * ldc));
                s41 = s41.add(FloatVector.fromArray(F, c, c0 + 4 * ldc + L));
                s50 = s50.add(FloatVector.fromArray(F, c, c0 + 5 * ldc));
                s51 = s51.add(FloatVector.fromArray(F, c, c0 + 5 * ldc + L));
            }
            s00.intoArray(c, c0);
            s01.intoArray(c, c0 + L);
            s10.intoArray(c, c0 + ldc);
            s11.intoArray(c, c0 + ldc + L);
            s20.intoArray(c, c0 + 2 * ldc);
            s21.intoArray(c, c0 + 2 * ldc + L);
            s30.intoArray(c, c0 + 3 * ldc);
            s31.intoArray(c, c0 + 3 * ldc + L);
            s40.intoArray(c, c0 + 4 * ldc);
            s41.intoArray(c, c0 + 4 * ldc + L);
            s50.intoArray(c, c0 + 5 * ldc);
            s51.intoArray(c, c0 + 5 * ldc + L);
            return;
        }
        float[] t = EDGE.get();
        s00.intoArray(t, 0 * PANEL);
        s01.intoArray(t, 0 * PANEL + L);
        s10.intoArray(t, 1 * PANEL);
        s11.intoArray(t, 1 * PANEL + L);
        s20.intoArray(t, 2 * PANEL);
        s21.intoArray(t, 2 * PANEL + L);
        s30.intoArray(t, 3 * PANEL);
        s31.intoArray(t, 3 * PANEL + L);
        s40.intoArray(t, 4 * PANEL);
        s41.intoArray(t, 4 * PANEL + L);
        s50.intoArray(t, 5 * PANEL);
        s51.intoArray(t, 5 * PANEL + L);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                int o = c0 + i * ldc + j * cCol;
                c[o] = accumulate ? t[i * PANEL + j] + c[o] : t[i * PANEL + j];
            }
        }
    }
}
