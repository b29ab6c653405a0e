package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q8_0 interleaved ({@link InterleavedMatrix}): a group's byte {@code j} of 32 blocks is element
 * {@code j} of each. A block's sum of 32 products of int8 values does not fit 16 bits, but two
 * products do ({@code 2 · 128 · 127 = 32512}): the kernels multiply two elements of 32 blocks in
 * short lanes, add them, and widen that pair sum into int lanes (even and odd blocks apart), where the
 * block sums are exact. Per 64 weights: two loads with widening, two 16-bit multiplies, an add,
 * three shifts and two int adds, where the float kernel ({@link Q8_0MatMul#dotRows}) needed about
 * sixteen operations.
 */
final class Q8_0Interleaved extends InterleavedMatrix {
    Q8_0Interleaved(int rows, int blocks) {
        super(rows, blocks, 32);
    }

    @Override
    byte paddingByte() {
        return 0;
    }

    @Override
    void dotRow(long row, MemorySegment x, long xt, float[] acc, int at) {
        FloatVector even = FloatVector.zero(F), odd = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes, xo = xt + (long) g * X_GROUP_BYTES;
            IntVector se = IntVector.zero(I), so = IntVector.zero(I);
            for (long j = 0; j < 32; j += 2) {
                IntVector p = quants(w + 64 + 32 * j).mul(xs(x, xo + 64 * j))
                        .add(quants(w + 96 + 32 * j).mul(xs(x, xo + 64 * j + 64))).reinterpretAsInts();
                se = se.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
                so = so.add(p.lanewise(VectorOperators.ASHR, 16));
            }
            ShortVector d = weightScales(w);
            even = ((FloatVector) se.convert(VectorOperators.I2F, 0)).mul(xd(x, xo)).fma(evenScales(d), even);
            odd = ((FloatVector) so.convert(VectorOperators.I2F, 0)).mul(xd(x, xo + 64)).fma(oddScales(d), odd);
        }
        even.add(odd).intoArray(acc, at);
    }

    /** Each pair of quant vectors is widened once for both tokens; per token the operations are {@link #dotRows}'s. */
    @Override
    void dot1x2(int r, MemorySegment x, int t0, float[] acc, int a) {
        long row = r * rowStride, ts = (long) groups * X_GROUP_BYTES;
        FloatVector e0 = FloatVector.zero(F), o0 = FloatVector.zero(F), e1 = FloatVector.zero(F), o1 = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes;
            long x0 = t0 * ts + (long) g * X_GROUP_BYTES, x1 = x0 + ts;
            IntVector se0 = IntVector.zero(I), so0 = IntVector.zero(I), se1 = IntVector.zero(I), so1 = IntVector.zero(I);
            for (long j = 0; j < 32; j += 2) {
                ShortVector q = quants(w + 64 + 32 * j), q2 = quants(w + 96 + 32 * j);
                IntVector p = q.mul(xs(x, x0 + 64 * j)).add(q2.mul(xs(x, x0 + 64 * j + 64))).reinterpretAsInts();
                se0 = se0.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
                so0 = so0.add(p.lanewise(VectorOperators.ASHR, 16));
                p = q.mul(xs(x, x1 + 64 * j)).add(q2.mul(xs(x, x1 + 64 * j + 64))).reinterpretAsInts();
                se1 = se1.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
                so1 = so1.add(p.lanewise(VectorOperators.ASHR, 16));
            }
            weightScales(w, acc, 64);
            FloatVector de = FloatVector.fromArray(F, acc, 64), dO = FloatVector.fromArray(F, acc, 80);
            e0 = ((FloatVector) se0.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromMemorySegment(F, x, x0 + X_SCALES, LE)).fma(de, e0);
            o0 = ((FloatVector) so0.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromMemorySegment(F, x, x0 + X_SCALES + 64, LE)).fma(dO, o0);
            e1 = ((FloatVector) se1.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromMemorySegment(F, x, x1 + X_SCALES, LE)).fma(de, e1);
            o1 = ((FloatVector) so1.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromMemorySegment(F, x, x1 + X_SCALES + 64, LE)).fma(dO, o1);
        }
        e0.add(o0).intoArray(acc, a);
        e1.add(o1).intoArray(acc, a + 16);
    }

    /** Byte {@code j} is element {@code j}, signed (the tile holds it zero-extended: shift left 24, arithmetic right 24). */
    @Override
    void storeElements(int[] tile, int s, float[] scales, int blockInGroup, int b, int j, float[] panel, int i0) {
        IntVector q = IntVector.fromArray(I, tile, 16 * s).lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24);
        ((FloatVector) q.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, scales, 16 * blockInGroup))
                .intoArray(panel, (b * 32 + j) * 32 + i0);
    }

    /** 32 int8 quants (byte j of 32 blocks) sign-extended to shorts. */
    private ShortVector quants(long off) {
        return (ShortVector) ByteVector.fromMemorySegment(B32, data, off, LE).convertShape(VectorOperators.B2S, S, 0);
    }
}
