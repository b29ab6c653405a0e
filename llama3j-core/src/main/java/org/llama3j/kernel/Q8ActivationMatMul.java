package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.Tensor;

/**
 * The dispatch shared by weight types that multiply Q8_0-quantized activations (Q8_0, Q4_0, as
 * llama.cpp's {@code vec_dot_type}): prefill batches of {@link #gemmMinTokens()} or more go to
 * {@link PackedGemm} (Q4_0 with an interleaved copy: {@link NibblePairGemm}); smaller batches (decode, and the server's batched decode steps) run the
 * per-block vector kernels (dequantized activations, float FMAs), or the integer scalar reference where vectors
 * are missing.
 *
 * <p>Small batches are rows outer, tokens inner: a group of {@link Int8Dot#ROWS} rows is read
 * from memory once and then stays in L1/L2 while every token of the batch is multiplied into it,
 * {@link Int8Dot#TILE_TOKENS} tokens per pass so that each weight slice is widened once for
 * several tokens. Every (row, token) result is computed in the same operation order as the
 * one-token kernel, so a sequence's logits do not depend on the batch it is decoded in.
 */
abstract class Q8ActivationMatMul implements MatMul {
    /** Bytes per 32-element weight block. */
    abstract int blockBytes();

    /**
     * Batches at least this large are packed into F32 panels and multiplied by {@link PackedGemm};
     * below it the tiles are faster, as packing a panel costs about as much as multiplying it into
     * several tokens (measured per type: bench/RESULTS.md, "Small-batch decode kernels").
     */
    abstract int gemmMinTokens();

    /** One row with integer arithmetic (the reference). */
    abstract float scalarRow(MemorySegment seg, long rowOff, int blocks, byte[] xq, float[] xd, int xBlock);

    /**
     * Rows {@code rowOff}, {@code rowOff + rowBytes}, ... ({@code rows} of them) times one token's
     * activations, into {@code out[o..o + rows)}: one row at a time, so the weights are read as one
     * sequential stream. Kernels that read 2 or 4 rows side by side (sharing each activation load)
     * are faster from cache but slower from memory: this machine's prefetchers follow one stream
     * well and several interleaved ones badly (Q8_0 decode pass over the 1B model's layers,
     * 2 threads: 17.3 → 20.1 GB/s; bench/RESULTS.md, "One memory stream per core").
     */
    abstract void vectorRowRange(MemorySegment seg, long rowOff, long rowBytes, int rows, int blocks, MemorySegment xq,
                                 int xBlock, float[] out, int o);

    /**
     * {@link Int8Dot#ROWS} consecutive rows times {@link Int8Dot#TILE_TOKENS} consecutive tokens
     * from token {@code t0}: row {@code i}, token {@code t0 + k} into {@code out[o + k·outStride + i]};
     * each result equal to {@link #vectorRowRange}'s for that token. {@code scratch} ({@link #TILE_SCRATCH}
     * floats) holds the accumulators on their way to
     * {@link VectorMath#sums4}: the caller's, so that a kernel allocates nothing whether or not C2
     * inlines the reduction (vectors passed to a call it does not inline are boxed).
     */
    abstract void vectorTile(MemorySegment seg, long rowOff, long rowBytes, int blocks, float[] xq,
                             int t0, float[] out, int o, int outStride, float[] scratch);

    /** Floats of a tile's accumulator scratch: two rows × {@link Int8Dot#TILE_TOKENS} vectors. */
    static final int TILE_SCRATCH = 2 * Int8Dot.TILE_TOKENS * Int8Dot.L;

    @Override
    public final void prepare(Tensor w, Activations x) {
        if (x.tokens() >= gemmMinTokens()) {
            if (pairGemm(w) != null) {
                x.q8Pairs();
            } else {
                x.q8Dequantized();
            }
        } else if (InterleavedMatrix.of(w) != null) {
            x.q8Interleaved();
        } else if (Int8Dot.AVAILABLE) {
            x.q8DequantizedAligned();
        } else {
            x.q8Quants();
        }
    }

    /** The matrix's interleaved Q4_0 copy when {@link NibblePairGemm} can multiply it, else null. */
    private static Q4_0Interleaved pairGemm(Tensor w) {
        return NibblePairGemm.AVAILABLE && !FLOAT_PREFILL && InterleavedMatrix.of(w) instanceof Q4_0Interleaved c ? c : null;
    }

    /** {@code -Dllama3j.q4_0FloatPrefill=true}: Q4_0 prefill through the F32 GEMM (comparisons, benchmarks). */
    private static final boolean FLOAT_PREFILL = Boolean.getBoolean("llama3j.q4_0FloatPrefill");

    @Override
    public final void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        if (x.tokens() >= gemmMinTokens()) {
            Q4_0Interleaved pairs = pairGemm(w);
            if (pairs != null) {
                NibblePairGemm.multiply(pairs, x.q8Pairs(), x.q8PairScales(), null, x.tokens(), out, outStride, rowFrom, rowTo);
            } else {
                PackedGemm.multiply(w, x.q8Dequantized(), x.tokens(), out, outStride, rowFrom, rowTo);
            }
        } else if (!multiplyPrepared(w, x, out, outStride, rowFrom, rowTo)) {
            multiplySmallBatch(w, x, out, outStride, rowFrom, rowTo);
        }
    }

    /**
     * The small-batch path on the matrix's interleaved copy ({@link InterleavedMatrix}, made by
     * {@link MatMuls#prepare}) if it has one; returns false otherwise.
     */
    private static boolean multiplyPrepared(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        InterleavedMatrix copy = InterleavedMatrix.of(w);
        if (copy == null) {
            return false;
        }
        copy.multiply(x.q8Interleaved(), x.tokens(), out, outStride, rowFrom, rowTo);
        return true;
    }

    /** The small-batch path for any batch size (package-private for the tests and the benchmark). */
    final void multiplySmallBatch(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        int tokens = x.tokens();
        MemorySegment seg = w.data();
        int blocks = w.rowLength() / 32;
        long rowBytes = (long) blocks * blockBytes();
        if (!Int8Dot.AVAILABLE) {
            byte[] xq = x.q8Quants();
            float[] xd = x.q8Scales();
            for (int r = rowFrom; r < rowTo; r++) {
                for (int t = 0; t < tokens; t++) {
                    out[t * outStride + r] = scalarRow(seg, r * rowBytes, blocks, xq, xd, t * blocks);
                }
            }
            return;
        }
        // the activations with their block scale applied (exact in float): a block's weight scale is
        // then the only per-block factor left, one broadcast per (row, block) that a tile's tokens share
        MemorySegment aligned = x.q8DequantizedAligned();
        if (tokens == 1) {
            // decode: the whole range as one stream
            vectorRowRange(seg, rowFrom * rowBytes, rowBytes, rowTo - rowFrom, blocks, aligned, 0, out, rowFrom);
            return;
        }
        float[] xq = x.q8Dequantized();
        float[] scratch = new float[TILE_SCRATCH];
        int r = rowFrom;
        for (; r + Int8Dot.ROWS <= rowTo; r += Int8Dot.ROWS) {
            long rowOff = r * rowBytes;
            int t = 0;
            for (; t + Int8Dot.TILE_TOKENS <= tokens; t += Int8Dot.TILE_TOKENS) {
                vectorTile(seg, rowOff, rowBytes, blocks, xq, t, out, t * outStride + r, outStride, scratch);
            }
            for (; t < tokens; t++) {
                vectorRowRange(seg, rowOff, rowBytes, Int8Dot.ROWS, blocks, aligned, t * blocks, out, t * outStride + r);
            }
        }
        if (r < rowTo) {
            for (int t = 0; t < tokens; t++) {
                vectorRowRange(seg, r * rowBytes, rowBytes, rowTo - r, blocks, aligned, t * blocks, out, t * outStride + r);
            }
        }
    }
}
