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
    void dotRows(int from, int to, MemorySegment x, int t, float[] out, int o) {
        long xt = (long) t * groups * X_GROUP_BYTES;
        float[] acc = new float[64];
        for (int r = from; r < to; r++) {
            long row = r * rowStride;
            FloatVector even = FloatVector.zero(F), odd = FloatVector.zero(F);
            for (int g = 0; g < groups; g++) {
                long w = row + g * groupBytes, xo = xt + (long) g * X_GROUP_BYTES;
                IntVector se = IntVector.zero(I), so = IntVector.zero(I);
                for (long j = 0; j < 32; j += 2) {
                    IntVector p = quants(w + 64 + 32 * j).mul(xs(x, xo + 64 * j))
                            .add(quants(w + 96 + 32 * j).mul(xs(x, xo + 64 * j + 64))).reinterpretAsInts();
                    se = se.add(evenLanes(p));
                    so = so.add(oddLanes(p));
                }
                ShortVector d = weightScales(w);
                even = toFloat(se).mul(xd(x, xo)).fma(evenScales(d), even);
                odd = toFloat(so).mul(xd(x, xo + 64)).fma(oddScales(d), odd);
            }
            even.add(odd).intoArray(acc, 16 * ((r - from) & 3));
            if (((r - from) & 3) == 3) {
                int i = o + r - from - 3;
                VectorMath.sums4(acc, 0, out, i, i + 1, i + 2, i + 3);
            }
        }
        reduceTail(from, to, out, o, acc);
    }

    /** Each pair of quant vectors is widened once for the four tokens; per token the operations are {@link #dotRows}'s. */
    @Override
    void dot1x4(int r, MemorySegment x, int t0, float[] out, int o, int outStride, float[] acc) {
        long row = r * rowStride, ts = (long) groups * X_GROUP_BYTES;
        FloatVector e0 = FloatVector.zero(F), o0 = FloatVector.zero(F), e1 = FloatVector.zero(F), o1 = FloatVector.zero(F);
        FloatVector e2 = FloatVector.zero(F), o2 = FloatVector.zero(F), e3 = FloatVector.zero(F), o3 = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes;
            long x0 = t0 * ts + (long) g * X_GROUP_BYTES, x1 = x0 + ts, x2 = x1 + ts, x3 = x2 + ts;
            IntVector se0 = IntVector.zero(I), so0 = IntVector.zero(I), se1 = IntVector.zero(I), so1 = IntVector.zero(I);
            IntVector se2 = IntVector.zero(I), so2 = IntVector.zero(I), se3 = IntVector.zero(I), so3 = IntVector.zero(I);
            for (long j = 0; j < 32; j += 2) {
                ShortVector q = quants(w + 64 + 32 * j), q2 = quants(w + 96 + 32 * j);
                IntVector p = q.mul(xs(x, x0 + 64 * j)).add(q2.mul(xs(x, x0 + 64 * j + 64))).reinterpretAsInts();
                se0 = se0.add(evenLanes(p));
                so0 = so0.add(oddLanes(p));
                p = q.mul(xs(x, x1 + 64 * j)).add(q2.mul(xs(x, x1 + 64 * j + 64))).reinterpretAsInts();
                se1 = se1.add(evenLanes(p));
                so1 = so1.add(oddLanes(p));
                p = q.mul(xs(x, x2 + 64 * j)).add(q2.mul(xs(x, x2 + 64 * j + 64))).reinterpretAsInts();
                se2 = se2.add(evenLanes(p));
                so2 = so2.add(oddLanes(p));
                p = q.mul(xs(x, x3 + 64 * j)).add(q2.mul(xs(x, x3 + 64 * j + 64))).reinterpretAsInts();
                se3 = se3.add(evenLanes(p));
                so3 = so3.add(oddLanes(p));
            }
            ShortVector d = weightScales(w);
            FloatVector de = evenScales(d), dO = oddScales(d);
            e0 = toFloat(se0).mul(xd(x, x0)).fma(de, e0);
            o0 = toFloat(so0).mul(xd(x, x0 + 64)).fma(dO, o0);
            e1 = toFloat(se1).mul(xd(x, x1)).fma(de, e1);
            o1 = toFloat(so1).mul(xd(x, x1 + 64)).fma(dO, o1);
            e2 = toFloat(se2).mul(xd(x, x2)).fma(de, e2);
            o2 = toFloat(so2).mul(xd(x, x2 + 64)).fma(dO, o2);
            e3 = toFloat(se3).mul(xd(x, x3)).fma(de, e3);
            o3 = toFloat(so3).mul(xd(x, x3 + 64)).fma(dO, o3);
        }
        // through the caller's array for the reason given at Q8_0MatMul.dot2x4 (C2's inlining budget)
        e0.add(o0).intoArray(acc, 0);
        e1.add(o1).intoArray(acc, 16);
        e2.add(o2).intoArray(acc, 32);
        e3.add(o3).intoArray(acc, 48);
        VectorMath.sums4(acc, 0, out, o, o + outStride, o + 2 * outStride, o + 3 * outStride);
    }

    /** As {@link Q4_0Interleaved#pack}, one element per byte. */
    @Override
    void pack(int r0, int rows, float[] panel, int[] tile, float[] scales) {
        int width = 32;
        for (int g = 0; g < groups; g++) {
            for (int i0 = 0; i0 < width; i0 += 16) {
                int m = Math.clamp(rows - i0, 0, 16);
                panelScales(r0, i0, m, g, scales);
                for (int j = 0; j < 32; j++) {
                    for (int half = 0; half < 2; half++) {
                        panelBytes(r0, i0, m, g, j, half, tile);
                        for (int s = 0; s < 16; s++) {
                            int blockInGroup = 16 * half + s, b = g * GROUP_BLOCKS + blockInGroup;
                            if (b >= blocks) {
                                break;
                            }
                            // bytes were zero-extended: sign-extend them (shift left 24, arithmetic right 24)
                            IntVector q = IntVector.fromArray(I, tile, 16 * s).lanewise(VectorOperators.LSHL, 24)
                                    .lanewise(VectorOperators.ASHR, 24);
                            toFloat(q).mul(FloatVector.fromArray(F, scales, 16 * blockInGroup))
                                    .intoArray(panel, (b * 32 + j) * width + i0);
                        }
                    }
                }
            }
        }
    }

    /** 32 int8 quants (byte j of 32 blocks) sign-extended to shorts. */
    private ShortVector quants(long off) {
        return (ShortVector) ByteVector.fromMemorySegment(B32, data, off, LE).convertShape(VectorOperators.B2S, S, 0);
    }

    private static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }
}
