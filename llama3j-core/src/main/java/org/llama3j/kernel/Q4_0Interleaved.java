package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0 interleaved ({@link InterleavedMatrix}): a group's byte {@code j} of 32 blocks holds element
 * {@code j} of each in its low nibble and element {@code j + 16} in its high one (ggml's
 * {@code block_q4_0}). Per group, lane {@code s} accumulates {@code Σ nibble · x} over its block in
 * 16 bits; that may wrap, but subtracting {@code 8 · Σ x} (also mod 2¹⁶) leaves
 * {@code Σ (nibble − 8) · x}, which fits ({@code 32 · 8 · 127 = 32512}), so the block sums are exact.
 * Per 64 weights: a load, a widening, a mask, a shift, two 16-bit multiplies and two adds.
 */
final class Q4_0Interleaved extends InterleavedMatrix {
    Q4_0Interleaved(int rows, int blocks) {
        super(rows, blocks, 16);
    }

    @Override
    byte paddingByte() {
        return (byte) 0x88;
    }

    @Override
    void dotRow(long row, MemorySegment x, long xt, float[] acc, int at) {
        FloatVector even = FloatVector.zero(F), odd = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes, xo = xt + (long) g * X_GROUP_BYTES;
            ShortVector s = ShortVector.zero(S);
            for (long j = 0; j < 512; j += 32) {
                ShortVector v = nibbles(w + 64 + j);
                s = s.add(v.and((short) 0x0f).mul(xs(x, xo + 2 * j)))
                        .add(v.lanewise(VectorOperators.LSHR, 4).mul(xs(x, xo + 2 * j + 1024)));
            }
            IntVector sums = s.sub(xs(x, xo + X_BIAS)).reinterpretAsInts();
            ShortVector d = weightScales(w);
            even = ((FloatVector) sums.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .convert(VectorOperators.I2F, 0)).mul(xd(x, xo)).fma(evenScales(d), even);
            odd = ((FloatVector) sums.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0))
                    .mul(xd(x, xo + 64)).fma(oddScales(d), odd);
        }
        even.add(odd).intoArray(acc, at);
    }

    /** Each byte pair is widened and split once for both tokens; per token the operations are {@link #dotRows}'s. */
    @Override
    void dot1x2(int r, MemorySegment x, int t0, float[] acc, int a) {
        long row = r * rowStride, ts = (long) groups * X_GROUP_BYTES;
        FloatVector e0 = FloatVector.zero(F), o0 = FloatVector.zero(F), e1 = FloatVector.zero(F), o1 = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes;
            long x0 = t0 * ts + (long) g * X_GROUP_BYTES, x1 = x0 + ts;
            ShortVector s0 = ShortVector.zero(S), s1 = ShortVector.zero(S);
            for (long j = 0; j < 512; j += 32) {
                ShortVector v = nibbles(w + 64 + j);
                ShortVector lo = v.and((short) 0x0f), hi = v.lanewise(VectorOperators.LSHR, 4);
                s0 = s0.add(lo.mul(xs(x, x0 + 2 * j))).add(hi.mul(xs(x, x0 + 2 * j + 1024)));
                s1 = s1.add(lo.mul(xs(x, x1 + 2 * j))).add(hi.mul(xs(x, x1 + 2 * j + 1024)));
            }
            weightScales(w, acc, 64);
            FloatVector de = FloatVector.fromArray(F, acc, 64), dO = FloatVector.fromArray(F, acc, 80);
            IntVector sums = s0.sub(xs(x, x0 + X_BIAS)).reinterpretAsInts();
            e0 = ((FloatVector) sums.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromMemorySegment(F, x, x0 + X_SCALES, LE)).fma(de, e0);
            o0 = ((FloatVector) sums.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromMemorySegment(F, x, x0 + X_SCALES + 64, LE)).fma(dO, o0);
            sums = s1.sub(xs(x, x1 + X_BIAS)).reinterpretAsInts();
            e1 = ((FloatVector) sums.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromMemorySegment(F, x, x1 + X_SCALES, LE)).fma(de, e1);
            o1 = ((FloatVector) sums.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromMemorySegment(F, x, x1 + X_SCALES + 64, LE)).fma(dO, o1);
        }
        e0.add(o0).intoArray(acc, a);
        e1.add(o1).intoArray(acc, a + 16);
    }

    /** Byte {@code j} holds elements {@code j} (low nibble) and {@code j + 16} (high nibble), minus 8. */
    @Override
    void storeElements(int[] tile, int s, float[] scales, int blockInGroup, int b, int j, float[] panel, int i0) {
        IntVector q = IntVector.fromArray(I, tile, 16 * s);
        FloatVector d = FloatVector.fromArray(F, scales, 16 * blockInGroup);
        ((FloatVector) q.and(0x0f).sub(8).convert(VectorOperators.I2F, 0)).mul(d).intoArray(panel, (b * 32 + j) * 32 + i0);
        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0)).mul(d)
                .intoArray(panel, (b * 32 + j + 16) * 32 + i0);
    }

    /** 32 packed bytes (byte j of 32 blocks) zero-extended to shorts. */
    private ShortVector nibbles(long off) {
        return (ShortVector) ByteVector.fromMemorySegment(B32, data, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
    }
}
