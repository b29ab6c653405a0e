package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.llama3j.tensor.Tensor;

/**
 * The dispatch shared by K-quant weights (super-blocks of 256), which multiply activations
 * quantized to Q8_K as llama.cpp's CPU backend does ({@link Q8KActivations}): a decode step runs
 * one integer-exact dot product per row and token, rows outer (vectorised, or the scalar reference where
 * 512-bit vectors are missing); batches of {@link PackedGemm#MIN_TOKENS} or more multiply the
 * dequantized weights by the dequantized Q8_K activations in the tiled GEMM, which differs from
 * the per-block integer sums only in float rounding order; Q4_K matrices with an interleaved copy
 * instead take {@link NibblePairGemm} (exact integer sums on 16-bit lanes) from {@link #COPY_GEMM_MIN_TOKENS}.
 */
abstract class KQuantMatMul implements MatMul {
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * With an interleaved copy, batches below this run its tiles (so a server's batched decode step
     * gives each sequence the logits it would get alone), as Q4_0's and Q8_0's do.
     */
    static final int COPY_GEMM_MIN_TOKENS = 12;

    /** Bytes per 256-element super-block. */
    abstract int blockBytes();

    /** One row with integer arithmetic, as ggml's generic {@code ggml_vec_dot_*_q8_K}. */
    abstract float scalarRow(MemorySegment seg, long rowOff, int blocks, Q8KActivations x, int xBlock);

    /** One row, vectorised; block sums stay exact integers in float lanes. */
    abstract float vectorRow(MemorySegment seg, long rowOff, int blocks, Q8KActivations x, int xBlock);

    /**
     * The activation form the rows will read, made before they are split ({@link MatMul#prepare}): element pairs and
     * sums for a large batch of a Q4_K copy ({@link NibblePairGemm}, made on all workers), the interleaved Q8_K for
     * a small batch of a copy, else Q8_K.
     */
    @Override
    public final void prepare(Tensor w, Activations x) {
        InterleavedMatrix copy = InterleavedMatrix.of(w);
        if (x.tokens() >= COPY_GEMM_MIN_TOKENS && pairGemm(w) != null) {
            x.q8KPairs();
        } else if (copy != null && x.tokens() < COPY_GEMM_MIN_TOKENS) {
            x.q8KInterleaved();
        } else {
            x.q8K();
        }
    }

    /** The matrix's interleaved Q4_K copy when {@link NibblePairGemm} can multiply it, else null. */
    private static Q4_KInterleaved pairGemm(Tensor w) {
        return NibblePairGemm.AVAILABLE && !FLOAT_PREFILL && InterleavedMatrix.of(w) instanceof Q4_KInterleaved c ? c : null;
    }

    /** {@code -Dllama3j.q4_KFloatPrefill=true}: Q4_K prefill through the F32 GEMM (comparisons, benchmarks). */
    private static final boolean FLOAT_PREFILL = Boolean.getBoolean("llama3j.q4_KFloatPrefill");

    @Override
    public final void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        InterleavedMatrix copy = InterleavedMatrix.of(w);
        Q4_KInterleaved pairs = pairGemm(w);
        if (pairs != null && x.tokens() >= COPY_GEMM_MIN_TOKENS) {
            NibblePairGemm.multiply(pairs, x.q8KPairs(), x.q8KPairScales(), x.q8KPairSums(), x.tokens(), out, outStride,
                    rowFrom, rowTo);
        } else if (x.tokens() >= (copy != null ? COPY_GEMM_MIN_TOKENS : PackedGemm.MIN_TOKENS)) {
            PackedGemm.multiply(w, x.q8K().dequantized, x.tokens(), out, outStride, rowFrom, rowTo);
        } else if (copy != null) {
            // Q4_K, Q5_K or Q6_K with its interleaved copy (MatMuls.prepare)
            copy.multiply(x.q8KInterleaved(), x.tokens(), out, outStride, rowFrom, rowTo);
        } else {
            multiplySmallBatch(w, x, out, outStride, rowFrom, rowTo);
        }
    }

    /** The per-row integer kernels for any batch size (package-private for the tests and the benchmark). */
    final void multiplySmallBatch(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        int tokens = x.tokens();
        Q8KActivations q = x.q8K();
        MemorySegment seg = w.data();
        int blocks = w.rowLength() / Q8KActivations.QK_K;
        long rowBytes = (long) blocks * blockBytes();
        // rows outer: a row is read from memory once and stays in L1 for every token of the batch
        for (int r = rowFrom; r < rowTo; r++) {
            for (int t = 0; t < tokens; t++) {
                out[t * outStride + r] = Int8Dot.AVAILABLE
                        ? vectorRow(seg, r * rowBytes, blocks, q, t * blocks)
                        : scalarRow(seg, r * rowBytes, blocks, q, t * blocks);
            }
        }
    }

    /**
     * Q4_K/Q5_K's minimum term of one super-block: Σ_j min_j · (sum of the activations' quants in
     * sub-block j), from Q8_K's per-16 sums (ggml's {@code bsums}). Integer, so exact in any order.
     */
    static int minSum(int[] sm, int[] bsums, int xb) {
        int summ = 0;
        for (int j = 0; j < 8; j++) {
            summ += sm[8 + j] * (bsums[xb * 16 + 2 * j] + bsums[xb * 16 + 2 * j + 1]);
        }
        return summ;
    }

    static int u8(MemorySegment seg, long off) {
        return seg.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    static float f16(MemorySegment seg, long off) {
        return HalfTable.toFloat(seg.get(LE_SHORT, off));
    }
}
