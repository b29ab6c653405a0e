package org.llama3j.kernel;

import org.llama3j.tensor.Tensor;

/**
 * Matrix–matrix product for batches of tokens (prefill), any weight type: the weight rows of a
 * panel are dequantized once into a k-major float panel ({@code PANEL} rows side by side, the
 * layout of the B panel in Goto/BLIS GEMMs, by {@link PanelPacking}) and multiplied with every
 * token of the batch by {@link Sgemm}'s register-blocked micro-kernel of {@code 6 tokens × 2
 * vectors of rows}: per k, two panel loads and six activation broadcasts feed twelve FMAs, with no
 * horizontal reductions.
 *
 * <p>Dequantized weights times the activations in the form the weight type multiplies
 * ({@link Activations}) are what ggml computes too, up to float summation order.
 */
final class PackedGemm {
    /** Rows per panel: two vectors. */
    static final int PANEL = Sgemm.PANEL;
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
        // the last tokens % 6 tokens, padded to a tile once for all panels
        float[] tail = Sgemm.packTail(x, 0, n, tokens, n);
        for (int r0 = rowFrom; r0 < rowTo; r0 += PANEL) {
            int rr = Math.min(PANEL, rowTo - r0);
            if (scalarPacking) {
                PanelPacking.packScalar(w, r0, rr, PANEL, panel, row);
            } else {
                PanelPacking.pack(w, r0, rr, PANEL, panel, row);
            }
            Sgemm.panel(panel, rr, n, x, 0, n, tail, tokens, out, r0, outStride);
        }
    }
}
