package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.llama3j.tensor.Tensor;

/**
 * Matrix–matrix product for batches of tokens (prefill), any weight type: the weight rows of a
 * panel are dequantized once into a k-major float panel ({@code PANEL} rows side by side, the
 * layout of the B panel in Goto/BLIS GEMMs) and multiplied with every token of the batch by a
 * register-blocked micro-kernel of {@code 6 tokens × 2 vectors of rows}: per k, two panel loads and
 * six activation broadcasts feed twelve FMAs, with no horizontal reductions.
 *
 * <p>Dequantized weights times the activations in the form the weight type multiplies
 * ({@link Activations}) are what ggml computes too, up to float summation order.
 */
final class PackedGemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Rows per panel: two vectors. */
    static final int PANEL = 2 * L;
    /** Tokens per micro-tile. */
    static final int TOKENS = 6;
    /**
     * Below this many tokens the per-type matrix–vector kernels (rows outer, tokens inner) are
     * faster than packing; Q8_0/Q4_0 have their own, larger threshold
     * ({@link Q8ActivationMatMul#GEMM_MIN_TOKENS}).
     */
    static final int MIN_TOKENS = 4;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private PackedGemm() {
    }

    /** {@code out[t * outStride + r] = x[t] · w[r]} for rows {@code [rowFrom, rowTo)}; {@code x} token-major. */
    static void multiply(Tensor w, float[] x, int tokens, float[] out, int outStride, int rowFrom, int rowTo) {
        multiply(w, x, tokens, out, outStride, rowFrom, rowTo, false);
    }

    /** As above; {@code scalarPacking} forces {@link PanelPacking#packScalar} (the reference, for tests and benchmarks). */
    static void multiply(Tensor w, float[] x, int tokens, float[] out, int outStride, int rowFrom, int rowTo,
                         boolean scalarPacking) {
        int n = w.rowLength();
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < PANEL * n) {
            scratch[0] = new float[PANEL * n];
            scratch[1] = new float[n];
        }
        float[] panel = scratch[0];
        float[] row = scratch[1];
        for (int r0 = rowFrom; r0 < rowTo; r0 += PANEL) {
            int rr = Math.min(PANEL, rowTo - r0);
            if (scalarPacking) {
                PanelPacking.packScalar(w, r0, rr, PANEL, panel, row);
            } else {
                PanelPacking.pack(w, r0, rr, PANEL, panel, row);
            }
            int t0 = 0;
            for (; t0 + TOKENS <= tokens; t0 += TOKENS) {
                tile6(panel, n, x, t0, out, outStride, r0, rr);
            }
            for (; t0 < tokens; t0++) {
                tile1(panel, n, x, t0, out, outStride, r0, rr);
            }
        }
    }

    private static void tile6(float[] p, int n, float[] x, int t0, float[] out, int stride, int r0, int rr) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        int x0 = t0 * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n, x4 = x3 + n, x5 = x4 + n;
        for (int k = 0; k < n; k++) {
            FloatVector b0 = FloatVector.fromArray(F, p, k * PANEL);
            FloatVector b1 = FloatVector.fromArray(F, p, k * PANEL + L);
            FloatVector a = FloatVector.broadcast(F, x[x0 + k]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            a = FloatVector.broadcast(F, x[x1 + k]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            a = FloatVector.broadcast(F, x[x2 + k]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            a = FloatVector.broadcast(F, x[x3 + k]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            a = FloatVector.broadcast(F, x[x4 + k]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            a = FloatVector.broadcast(F, x[x5 + k]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
        }
        int o = t0 * stride + r0;
        store(c00, c01, out, o, rr);
        store(c10, c11, out, o + stride, rr);
        store(c20, c21, out, o + 2 * stride, rr);
        store(c30, c31, out, o + 3 * stride, rr);
        store(c40, c41, out, o + 4 * stride, rr);
        store(c50, c51, out, o + 5 * stride, rr);
    }

    private static void tile1(float[] p, int n, float[] x, int t, float[] out, int stride, int r0, int rr) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
        int xo = t * n;
        for (int k = 0; k < n; k++) {
            FloatVector a = FloatVector.broadcast(F, x[xo + k]);
            c0 = FloatVector.fromArray(F, p, k * PANEL).fma(a, c0);
            c1 = FloatVector.fromArray(F, p, k * PANEL + L).fma(a, c1);
        }
        store(c0, c1, out, t * stride + r0, rr);
    }

    /** Stores the first {@code rr} of the 2L row results at {@code out[o..]}. */
    private static void store(FloatVector lo, FloatVector hi, float[] out, int o, int rr) {
        if (rr == PANEL) {
            lo.intoArray(out, o);
            hi.intoArray(out, o + L);
        } else {
            VectorMask<Float> m0 = F.indexInRange(0, rr);
            VectorMask<Float> m1 = F.indexInRange(L, rr);
            lo.intoArray(out, o, m0);
            hi.intoArray(out, o + L, m1);
        }
    }
}
