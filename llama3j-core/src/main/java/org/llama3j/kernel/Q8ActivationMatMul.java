package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.Tensor;

/**
 * The dispatch shared by weight types that multiply Q8_0-quantized activations (Q8_0, Q4_0, as
 * llama.cpp's {@code vec_dot_type}): prefill batches go to {@link PackedGemm}; decode runs
 * {@link Int8Dot#ROWS} rows per pass with the vector kernels, or the integer scalar reference
 * where 512-bit vectors are missing. Subclasses supply the per-type block dot products.
 */
abstract class Q8ActivationMatMul implements MatMul {

    /** Bytes per 32-element weight block. */
    abstract int blockBytes();

    /** The activation quants as floats in the form the vector kernels multiply ({@link Activations#q8Floats()} by default). */
    float[] vectorQuants(Activations x) {
        return x.q8Floats();
    }

    /** Extra per-activation data the vector kernels need (Q4_0: {@link Activations#q4Bias()}), or null. */
    abstract float[] vectorExtra(Activations x);

    /** One row with integer arithmetic (the reference). */
    abstract float scalarRow(MemorySegment seg, long rowOff, int blocks, byte[] xq, float[] xd, int xBlock);

    /** One row, vectorised. */
    abstract float vectorRow(MemorySegment seg, long rowOff, int blocks, float[] xq, float[] extra, float[] xd, int xBlock);

    /** {@link Int8Dot#ROWS} consecutive rows sharing the activation loads, into {@code out[o..]}. */
    abstract void vectorRows(MemorySegment seg, long rowOff, long rowBytes, int blocks, float[] xq, float[] extra,
                             float[] xd, int xBlock, float[] out, int o);

    @Override
    public final void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        int tokens = x.tokens();
        if (tokens >= PackedGemm.MIN_TOKENS) {
            PackedGemm.multiply(w, x.q8Dequantized(), tokens, out, outStride, rowFrom, rowTo);
            return;
        }
        MemorySegment seg = w.data();
        int blocks = w.rowLength() / 32;
        long rowBytes = (long) blocks * blockBytes();
        float[] xd = x.q8Scales();
        if (!Int8Dot.AVAILABLE) {
            byte[] xq = x.q8Quants();
            for (int t = 0; t < tokens; t++) {
                for (int r = rowFrom; r < rowTo; r++) {
                    out[t * outStride + r] = scalarRow(seg, r * rowBytes, blocks, xq, xd, t * blocks);
                }
            }
            return;
        }
        float[] xq = vectorQuants(x);
        float[] extra = vectorExtra(x);
        for (int t = 0; t < tokens; t++) {
            int o = t * outStride;
            int r = rowFrom;
            for (; r + Int8Dot.ROWS <= rowTo; r += Int8Dot.ROWS) {
                vectorRows(seg, r * rowBytes, rowBytes, blocks, xq, extra, xd, t * blocks, out, o + r);
            }
            for (; r < rowTo; r++) {
                out[o + r] = vectorRow(seg, r * rowBytes, blocks, xq, extra, xd, t * blocks);
            }
        }
    }
}
