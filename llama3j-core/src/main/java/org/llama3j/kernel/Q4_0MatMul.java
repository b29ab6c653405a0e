package org.llama3j.kernel;

import static org.llama3j.kernel.Int8Dot.B;
import static org.llama3j.kernel.Int8Dot.F;
import static org.llama3j.kernel.Int8Dot.I;
import static org.llama3j.kernel.Int8Dot.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.llama3j.tensor.DType;

/**
 * Q4_0 weights (an F16 scale and 16 bytes of 4-bit values per 32 elements; element j is the low
 * nibble of byte j, element j+16 its high nibble, both offset by 8) times Q8_0 activations, as
 * ggml's {@code ggml_vec_dot_q4_0_q8_0}. Same structure as {@link Q8_0MatMul}: one-token rows
 * one at a time, small batches as 1 row × {@link Int8Dot#TILE_TOKENS} tokens.
 *
 * <p>Nibbles become floats by a table permute ({@link #low}, {@link #high}): one
 * {@code selectFrom} looks up {@code nibble − 8} directly, where a mask, an int → float conversion
 * and a per-block bias vector were needed before. For one token it runs at the same speed (the
 * permute and the widening share the shuffle port); in the small-batch tile, where each row's
 * nibbles are decoded once for four tokens, it made the tile 1.4–2× faster
 * (bench/RESULTS.md, "Decode kernels, 7 Dec afternoon").
 */
final class Q4_0MatMul extends Q8ActivationMatMul {
    static final int BLOCK_BYTES = 18;
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public DType type() {
        return DType.Q4_0;
    }

    @Override
    int blockBytes() {
        return BLOCK_BYTES;
    }

    /**
     * Measured on an 8192 × 2048 matrix, one thread: with the table-permute nibbles the 1 × 4 tiles
     * beat packing at 6 and 8 tokens (1.3–1.4×) and tie at 12 (bench/RESULTS.md, "Decode kernels, 7 Dec afternoon").
     */
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
        for (int i = 0; i < Int8Dot.ROWS; i++) {
            dot1x4(seg, rowOff + i * rowBytes, blocks, xq, t0, out, o + i, outStride, scratch);
        }
    }

    static float dotScalar(MemorySegment seg, long rowOff, int blocks, byte[] xq, float[] xd, int xBlock) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            float dw = HalfTable.toFloat(seg.get(LE_SHORT, off));
            int xBase = (xBlock + b) * 32;
            int isum = 0;
            for (int j = 0; j < 16; j++) {
                int q = seg.get(ValueLayout.JAVA_BYTE, off + 2 + j) & 0xff;
                isum += ((q & 0x0f) - 8) * xq[xBase + j] + ((q >>> 4) - 8) * xq[xBase + j + 16];
            }
            sum += isum * (dw * xd[xBlock + b]);
        }
        return sum;
    }

    /**
     * {@code rows} consecutive rows, one after another (one memory stream: in a scratch harness two
     * rows side by side sharing the activation loads ran at 5.3 GB/s from memory, one at a time
     * 7.0–8.7, about its speed from cache; see {@link Q8ActivationMatMul#vectorRowRange}). {@code xq} are the dequantized
     * activations ({@link Activations#q8Dequantized()}): they carry their block scale, so only the
     * weight scale multiplies each block sum (see {@link Q8_0MatMul}).
     */
    static void dotRows(MemorySegment seg, long rowOff, long rowBytes, int rows, int blocks, MemorySegment xq, int xBlock,
                        float[] out, int o) {
        for (int i = 0; i < rows; i++) {
            long r = rowOff + i * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < blocks; b++) {
                long off = r + (long) b * BLOCK_BYTES;
                int xBase = (xBlock + b) * 32;
                FloatVector s = FloatVector.zero(F);
                for (int j = 0; j < 16; j += L) {
                    IntVector q = nibbles(seg, off + 2 + j);
                    s = high(q).fma(activations(xq, xBase + 16 + j), low(q).fma(activations(xq, xBase + j), s));
                }
                acc = s.fma(scale(seg, off), acc);
            }
            out[o + i] = VectorMath.sum(acc);
        }
    }

    /**
     * One row times four consecutive tokens from {@code t0}: the row's nibbles are unpacked once
     * for the four tokens. One row, not two: a 2 × 4 body exceeds C2's inlining node budget and ran
     * slower than one token at a time. Per (row, token) the operations are {@link #dotRows}'s in the
     * same order, so the results are equal.
     */
    static void dot1x4(MemorySegment seg, long rowOff, int blocks, float[] xq, int t0,
                       float[] out, int o, int outStride, float[] acc) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int x0 = t0 * blocks;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                IntVector q = nibbles(seg, off + 2 + j);
                FloatVector lo = low(q), hi = high(q);
                int xb = (x0 + b) * 32 + j;
                s0 = hi.fma(FloatVector.fromArray(F, xq, xb + 16), lo.fma(FloatVector.fromArray(F, xq, xb), s0));
                xb += 32 * blocks;
                s1 = hi.fma(FloatVector.fromArray(F, xq, xb + 16), lo.fma(FloatVector.fromArray(F, xq, xb), s1));
                xb += 32 * blocks;
                s2 = hi.fma(FloatVector.fromArray(F, xq, xb + 16), lo.fma(FloatVector.fromArray(F, xq, xb), s2));
                xb += 32 * blocks;
                s3 = hi.fma(FloatVector.fromArray(F, xq, xb + 16), lo.fma(FloatVector.fromArray(F, xq, xb), s3));
            }
            FloatVector d = scale(seg, off);
            a0 = s0.fma(d, a0);
            a1 = s1.fma(d, a1);
            a2 = s2.fma(d, a2);
            a3 = s3.fma(d, a3);
        }
        // through the caller's array for the reason given at Q8_0MatMul.dot2x4 (C2's inlining budget)
        a0.intoArray(acc, 0);
        a1.intoArray(acc, L);
        a2.intoArray(acc, 2 * L);
        a3.intoArray(acc, 3 * L);
        VectorMath.sums4(acc, 0, out, o, o + outStride, o + 2 * outStride, o + 3 * outStride);
    }

    /** {@code L} activations from element {@code i} of an aligned off-heap copy ({@link Activations#q8DequantizedAligned()}). */
    private static FloatVector activations(MemorySegment xq, int i) {
        return FloatVector.fromMemorySegment(F, xq, 4L * i, ByteOrder.nativeOrder());
    }

    /** The F16 scale of the weight block at {@code off}, in every lane. */
    private static FloatVector scale(MemorySegment seg, long off) {
        return FloatVector.broadcast(F, HalfTable.toFloat(seg.get(LE_SHORT, off)));
    }

    /**
     * {@code L} packed bytes at {@code off}, zero-extended to int lanes: one widening serves both
     * nibbles (two byte→float widenings cost twice the shuffle-port work, the bottleneck here).
     */
    private static IntVector nibbles(MemorySegment seg, long off) {
        return (IntVector) ByteVector.fromMemorySegment(B, seg, off, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }

    /**
     * The two tables {@code selectFrom(v1, v2)} reads: entry k (0 ≤ k < 2L, the lane value wrapped
     * to {@code & (2L − 1)}) holds the float bits of {@code (k mod 16) − 8}, the signed weight of
     * nibble k; so a byte's low nibble needs no mask (its high bits wrap away when L = 8, pick an
     * equal second table when L = 16).
     */
    private static final IntVector NIBBLE_TABLE_1 = nibbleTable(0);
    private static final IntVector NIBBLE_TABLE_2 = nibbleTable(L);

    private static IntVector nibbleTable(int from) {
        int[] t = new int[L];
        for (int i = 0; i < L; i++) {
            t[i] = Float.floatToRawIntBits(((from + i) & 15) - 8);
        }
        return IntVector.fromArray(I, t, 0);
    }

    /** Low nibbles minus 8 as floats. */
    private static FloatVector low(IntVector q) {
        return q.selectFrom(NIBBLE_TABLE_1, NIBBLE_TABLE_2).reinterpretAsFloats();
    }

    /** High nibbles minus 8 as floats. */
    private static FloatVector high(IntVector q) {
        return q.lanewise(VectorOperators.LSHR, 4).selectFrom(NIBBLE_TABLE_1, NIBBLE_TABLE_2).reinterpretAsFloats();
    }
}
