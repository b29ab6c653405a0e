package org.llama3j.kernel;

import static org.llama3j.kernel.Int8Dot.B;
import static org.llama3j.kernel.Int8Dot.F;
import static org.llama3j.kernel.Int8Dot.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.llama3j.tensor.DType;

/**
 * Q8_0 weights (blocks of an F16 scale and 32 int8) times Q8_0-quantized activations: per block
 * a dot product scaled by both block scales, as ggml's {@code ggml_vec_dot_q8_0_q8_0}. The vector
 * kernels multiply the activations dequantized ({@code q · d_x}, exact in float) by the weights
 * scaled as they are widened ({@code w · d_w}, one multiply per weight slice), accumulating straight
 * into each (row, token)'s lanes: a small-batch tile scales a weight slice once for all its tokens,
 * and per (row, token, block) only the two product FMAs are left (no block-sum-times-scale FMA: the
 * 8-token step of the server model 104 → 86 ms CPU, the one-token step unchanged; bench/RESULTS.md).
 * Results differ from ggml's integer block sums in the last bits (golden logits still agree within
 * 4e-7, {@code LlamaCppGoldenTest}). Decode runs one row at a time (one memory stream), small
 * batches 2 rows × {@link Int8Dot#TILE_TOKENS} tokens per pass ({@link Q8ActivationMatMul}).
 */
final class Q8_0MatMul extends Q8ActivationMatMul {
    static final int BLOCK_BYTES = 34;
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public DType type() {
        return DType.Q8_0;
    }

    @Override
    int blockBytes() {
        return BLOCK_BYTES;
    }

    /** Measured on an 8192 × 2048 matrix, one thread: at 8 tokens the 2 × 4 tiles are 15% faster than packing, at 16 packing is 7% faster. */
    @Override
    int gemmMinTokens() {
        return 12;
    }

    @Override
    float scalarRow(MemorySegment seg, long rowOff, int blocks, byte[] xq, float[] xd, int xBlock) {
        return dotScalar(seg, rowOff, blocks, xq, xd, xBlock);
    }

    @Override
    void vectorRowRange(MemorySegment seg, long rowOff, long rowBytes, int rows, int blocks, MemorySegment xq,
                        int xBlock, float[] out, int o) {
        dotRows(seg, rowOff, rowBytes, rows, blocks, xq, xBlock, out, o);
    }

    @Override
    void vectorTile(MemorySegment seg, long rowOff, long rowBytes, int blocks, float[] xq,
                    int t0, float[] out, int o, int outStride, float[] scratch) {
        // a loop, not two calls: C2 inlines one copy of the tile body, not two (its node budget)
        for (int half = 0; half < 2; half++) {
            dot2x4(seg, rowOff + 2 * half * rowBytes, rowBytes, blocks, xq, t0, out, o + 2 * half, outStride, scratch);
        }
    }

    /** One row, integer arithmetic: the reference the vector path must equal up to summation order. */
    static float dotScalar(MemorySegment seg, long rowOff, int blocks, byte[] xq, float[] xd, int xBlock) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            float dw = HalfTable.toFloat(seg.get(LE_SHORT, off));
            int xBase = (xBlock + b) * 32;
            int isum = 0;
            for (int j = 0; j < 32; j++) {
                isum += seg.get(ValueLayout.JAVA_BYTE, off + 2 + j) * xq[xBase + j];
            }
            sum += isum * (dw * xd[xBlock + b]);
        }
        return sum;
    }

    /**
     * {@code rows} consecutive rows, one after another (one memory stream; see
     * {@link Q8ActivationMatMul#vectorRowRange}). {@code xq} are the dequantized activations
     * ({@link Activations#q8DequantizedAligned()}).
     */
    static void dotRows(MemorySegment seg, long rowOff, long rowBytes, int rows, int blocks, MemorySegment xq, int xBlock,
                        float[] out, int o) {
        for (int i = 0; i < rows; i++) {
            long r = rowOff + i * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < blocks; b++) {
                long off = r + (long) b * BLOCK_BYTES;
                int xBase = (xBlock + b) * 32;
                FloatVector d = scale(seg, off);
                for (int j = 0; j < 32; j += L) {
                    acc = weights(seg, off + 2 + j).mul(d).fma(activations(xq, xBase + j), acc);
                }
            }
            out[o + i] = VectorMath.sum(acc);
        }
    }

    /**
     * Two consecutive rows times four consecutive tokens from {@code t0}: each weight slice is
     * widened once for the four tokens, each activation slice loaded once for the two rows. Per
     * (row, token) the operations are {@link #dotRows}'s in the same order, so the results are equal.
     */
    static void dot2x4(MemorySegment seg, long rowOff, long rowBytes, int blocks, float[] xq, int t0,
                       float[] out, int o, int outStride, float[] acc) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
        long r0 = rowOff, r1 = r0 + rowBytes;
        int x0 = t0 * blocks, x1 = x0 + blocks, x2 = x1 + blocks, x3 = x2 + blocks;
        for (int b = 0; b < blocks; b++) {
            long bo = (long) b * BLOCK_BYTES;
            FloatVector d0 = scale(seg, r0 + bo), d1 = scale(seg, r1 + bo);
            for (int j = 0; j < 32; j += L) {
                FloatVector w0 = weights(seg, r0 + bo + 2 + j).mul(d0);
                FloatVector w1 = weights(seg, r1 + bo + 2 + j).mul(d1);
                FloatVector xv = FloatVector.fromArray(F, xq, (x0 + b) * 32 + j);
                a00 = w0.fma(xv, a00);
                a10 = w1.fma(xv, a10);
                xv = FloatVector.fromArray(F, xq, (x1 + b) * 32 + j);
                a01 = w0.fma(xv, a01);
                a11 = w1.fma(xv, a11);
                xv = FloatVector.fromArray(F, xq, (x2 + b) * 32 + j);
                a02 = w0.fma(xv, a02);
                a12 = w1.fma(xv, a12);
                xv = FloatVector.fromArray(F, xq, (x3 + b) * 32 + j);
                a03 = w0.fma(xv, a03);
                a13 = w1.fma(xv, a13);
            }
        }
        // through the caller's array, not vector arguments: this body is at C2's inlining budget, and
        // vectors passed to a call that is not inlined are boxed (an 8-token step 1.8x slower)
        a00.intoArray(acc, 0);
        a01.intoArray(acc, L);
        a02.intoArray(acc, 2 * L);
        a03.intoArray(acc, 3 * L);
        a10.intoArray(acc, 4 * L);
        a11.intoArray(acc, 5 * L);
        a12.intoArray(acc, 6 * L);
        a13.intoArray(acc, 7 * L);
        VectorMath.sums4(acc, 0, out, o, o + outStride, o + 2 * outStride, o + 3 * outStride);
        VectorMath.sums4(acc, 4 * L, out, o + 1, o + outStride + 1, o + 2 * outStride + 1, o + 3 * outStride + 1);
    }

    /** {@code L} activations from element {@code i} of an aligned off-heap copy ({@link Activations#q8DequantizedAligned()}). */
    private static FloatVector activations(MemorySegment xq, int i) {
        return FloatVector.fromMemorySegment(F, xq, 4L * i, ByteOrder.nativeOrder());
    }

    /** The F16 scale of the weight block at {@code off}, in every lane. */
    private static FloatVector scale(MemorySegment seg, long off) {
        return FloatVector.broadcast(F, HalfTable.toFloat(seg.get(LE_SHORT, off)));
    }

    /** {@code L} int8 weights at {@code off} widened to floats. */
    private static FloatVector weights(MemorySegment seg, long off) {
        return (FloatVector) ByteVector.fromMemorySegment(B, seg, off, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2F, F, 0);
    }
}
