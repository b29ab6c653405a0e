package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K interleaved ({@link InterleavedMatrix}): a lane is one 32-element sub-block of a super-block
 * ({@code block_q4_K}), whose element is {@code d·scⱼ·q − dmin·mⱼ} with {@code q} in 0..15. Per group
 * of 32 sub-blocks (four super-blocks) the copy holds the four {@code d} and four {@code dmin} as
 * floats, the 6-bit {@code scⱼ} and {@code mⱼ} unpacked to one byte each (even sub-blocks first), then
 * the nibbles repacked as Q4_0 packs them (byte {@code e} holds elements {@code e} and {@code e + 16}),
 * so the integer part is {@link Q4_0Interleaved}'s: {@code Σ (q − 8)·x} on 16-bit lanes, exact.
 *
 * <p>Activations are llama.cpp's Q8_K ({@link Q8KActivations}), transposed like Q8_0's with each
 * sub-block carrying its super-block's scale {@code dy}. Per lane the kernel adds back the bias
 * ({@code Σ q·x = Σ (q − 8)·x + 8·Σx}) and forms {@code dy·(Aⱼ·Σ q·x − Mⱼ·Σx)} with
 * {@code Aⱼ = d·scⱼ} and {@code Mⱼ = dmin·mⱼ} (exact in float: an F16 times a 6-bit integer): ggml's
 * {@code ggml_vec_dot_q4_K_q8_K} with the same exact integer sums, its float products in another order.
 *
 * <p>A group takes 608 bytes for 1,024 weights, the file's four super-blocks 576. Storing
 * {@code Aⱼ} and {@code Mⱼ} as floats (768 bytes) saved the epilogue a few operations but put a
 * Q4_K_M model's copies 70 MB over the resident-memory budget.
 */
final class Q4_KInterleaved extends KQuantInterleaved {
    static final int SCALE_BYTES = MIN_SCALE_BYTES;
    private static final int BLOCK_BYTES = 144;

    Q4_KInterleaved(int rows, int blocks) {
        super(rows, blocks, 16, SCALE_BYTES);
    }

    @Override
    byte paddingByte() {
        return (byte) 0x88;
    }

    /**
     * Rows {@code [from, to)} of super-blocks ({@code blocks / 8} per row) into groups. Returns false
     * if a {@code d} or {@code dmin} is infinite or NaN (kept on the file layout).
     */
    @Override
    boolean copyRows(MemorySegment src, long srcRowBytes, int blockBytes, int from, int to, int[] tile) {
        boolean finite = true;
        int[] sm = new int[16];
        float[] superScales = new float[8];
        byte[] laneScales = new byte[4 * 16];
        byte[] quants = new byte[16 * GROUP_BLOCKS];
        byte[] lanes = new byte[16 * GROUP_BLOCKS];
        for (int r = from; r < to; r++) {
            for (int g = 0; g < groups; g++) {
                java.util.Arrays.fill(superScales, 0f);
                java.util.Arrays.fill(laneScales, (byte) 0);
                java.util.Arrays.fill(lanes, paddingByte());
                for (int s = 0; s < GROUP_BLOCKS; s += 8) {
                    int superBlock = (g * GROUP_BLOCKS + s) / 8;
                    if (g * GROUP_BLOCKS + s >= blocks) {
                        break;
                    }
                    long off = r * srcRowBytes + (long) superBlock * BLOCK_BYTES;
                    finite &= minScales(src, off, s / 8, superScales, laneScales, sm);
                    // chunk k's 32 bytes hold sub-block 2k in their low nibbles and 2k + 1 in their high
                    // ones; a lane's byte e takes elements e and e + 16 of its sub-block
                    for (int k = 0; k < 4; k++) {
                        long chunk = off + 16 + 32L * k;
                        ByteVector first = ByteVector.fromMemorySegment(B16, src, chunk, LE);
                        ByteVector second = ByteVector.fromMemorySegment(B16, src, chunk + 16, LE);
                        first.and((byte) 0x0f).or(second.lanewise(VectorOperators.LSHL, 4)).intoArray(lanes, 16 * (s + 2 * k));
                        first.lanewise(VectorOperators.LSHR, 4).or(second.and((byte) 0xf0)).intoArray(lanes, 16 * (s + 2 * k + 1));
                    }
                }
                for (int lane = 0; lane < GROUP_BLOCKS; lane++) {
                    for (int e = 0; e < 16; e++) {
                        quants[32 * e + lane] = lanes[16 * lane + e];
                    }
                }
                storeGroup(r * rowStride + g * groupBytes, superScales, laneScales, quants);
            }
        }
        return finite;
    }

    @Override
    void dotRow(long row, MemorySegment x, long xt, float[] acc, int at) {
        FloatVector sum = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes, xo = xt + (long) g * X_GROUP_BYTES;
            ShortVector s = ShortVector.zero(S);
            for (long j = 0; j < 512; j += 32) {
                ShortVector v = nibbles(w + SCALE_BYTES + j);
                s = s.add(v.and((short) 0x0f).mul(xs(x, xo + 2 * j)))
                        .add(v.lanewise(VectorOperators.LSHR, 4).mul(xs(x, xo + 2 * j + 1024)));
            }
            ShortVector bias = xs(x, xo + X_BIAS);
            IntVector sums = s.sub(bias).reinterpretAsInts(), b = bias.reinterpretAsInts();
            FloatVector d = superScales(w), dMin = superScales(w + 16);
            // the even sub-blocks (low 16 bits of each int lane), then the odd ones (high 16 bits): one
            // loop body, not two copies, keeps the method within C2's inlining budget
            for (int h = 0; h < 2; h++) {
                int up = 16 - 16 * h;
                IntVector bh = b.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16);
                IntVector qx = sums.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16).add(bh);
                FloatVector a = d.mul(bytesAsFloats(w + 32 + 16 * h)), m = dMin.mul(bytesAsFloats(w + 64 + 16 * h));
                sum = term(qx, bh, a, m, xd(x, xo + 64 * h), sum);
            }
        }
        sum.intoArray(acc, at);
    }

    /** Each byte is widened and split once for both tokens, each sub-block's A and M formed once; per token the operations are {@link #dotRows}'s. */
    @Override
    void dot1x2(int r, MemorySegment x, int t0, float[] acc, int a) {
        long row = r * rowStride, ts = (long) groups * X_GROUP_BYTES;
        FloatVector sum0 = FloatVector.zero(F), sum1 = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes;
            long x0 = t0 * ts + (long) g * X_GROUP_BYTES, x1 = x0 + ts;
            ShortVector s0 = ShortVector.zero(S), s1 = ShortVector.zero(S);
            for (long j = 0; j < 512; j += 32) {
                ShortVector v = nibbles(w + SCALE_BYTES + j);
                ShortVector lo = v.and((short) 0x0f), hi = v.lanewise(VectorOperators.LSHR, 4);
                s0 = s0.add(lo.mul(xs(x, x0 + 2 * j))).add(hi.mul(xs(x, x0 + 2 * j + 1024)));
                s1 = s1.add(lo.mul(xs(x, x1 + 2 * j))).add(hi.mul(xs(x, x1 + 2 * j + 1024)));
            }
            ShortVector bias0 = xs(x, x0 + X_BIAS), bias1 = xs(x, x1 + X_BIAS);
            IntVector sums0 = s0.sub(bias0).reinterpretAsInts(), b0 = bias0.reinterpretAsInts();
            IntVector sums1 = s1.sub(bias1).reinterpretAsInts(), b1 = bias1.reinterpretAsInts();
            FloatVector d = superScales(w), dMin = superScales(w + 16);
            for (int h = 0; h < 2; h++) {
                int up = 16 - 16 * h;
                FloatVector am = d.mul(bytesAsFloats(w + 32 + 16 * h)), m = dMin.mul(bytesAsFloats(w + 64 + 16 * h));
                IntVector bh = b0.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16);
                IntVector qx = sums0.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16).add(bh);
                sum0 = term(qx, bh, am, m, xd(x, x0 + 64 * h), sum0);
                bh = b1.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16);
                qx = sums1.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16).add(bh);
                sum1 = term(qx, bh, am, m, xd(x, x1 + 64 * h), sum1);
            }
        }
        sum0.intoArray(acc, a);
        sum1.intoArray(acc, a + 16);
    }

    /** {@code acc + dy·(A·Σ q·x − M·Σx)}, with {@code Σx = (8·Σx) >> 3}. */
    private static FloatVector term(IntVector qx, IntVector bias, FloatVector a, FloatVector m, FloatVector dy, FloatVector acc) {
        FloatVector sumX = (FloatVector) bias.lanewise(VectorOperators.ASHR, 3).convert(VectorOperators.I2F, 0);
        return ((FloatVector) qx.convert(VectorOperators.I2F, 0)).mul(a).sub(sumX.mul(m)).fma(dy, acc);
    }

    /** 16 unsigned bytes (one per sub-block) as floats. */
    private FloatVector bytesAsFloats(long off) {
        return (FloatVector) ByteVector.fromMemorySegment(B16, data, off, LE)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convert(VectorOperators.I2F, 0);
    }

    /** A group's {@code A} (at {@code scales[s·16 + i]}) and {@code M} (at {@code scales[512 + s·16 + i]}) for a half panel. */
    @Override
    void panelScales(int r0, int i0, int m, int g, float[] scales) {
        for (int i = 0; i < 16; i++) {
            long w = (r0 + i0 + i) * rowStride + g * groupBytes;
            for (int s = 0; s < GROUP_BLOCKS; s++) {
                if (i >= m) {
                    scales[s * 16 + i] = scales[512 + s * 16 + i] = 0f;
                    continue;
                }
                long at = (s & 1) * 16 + (s >> 1);
                float d = data.get(LE_FLOAT, w + 4L * (s / 8)), dMin = data.get(LE_FLOAT, w + 16 + 4L * (s / 8));
                scales[s * 16 + i] = d * (data.get(ValueLayout.JAVA_BYTE, w + 32 + at) & 0xff);
                scales[512 + s * 16 + i] = dMin * (data.get(ValueLayout.JAVA_BYTE, w + 64 + at) & 0xff);
            }
        }
    }

    /** Byte {@code j} holds elements {@code j} and {@code j + 16}: {@code A·q − M} each, as {@code dequantize_row_q4_K}. */
    @Override
    void storeElements(int[] tile, int s, float[] scales, int blockInGroup, int b, int j, float[] panel, int i0) {
        IntVector q = IntVector.fromArray(I, tile, 16 * s);
        FloatVector a = FloatVector.fromArray(F, scales, 16 * blockInGroup), m = FloatVector.fromArray(F, scales, 512 + 16 * blockInGroup);
        ((FloatVector) q.and(0x0f).convert(VectorOperators.I2F, 0)).mul(a).sub(m).intoArray(panel, (b * 32 + j) * 32 + i0);
        ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).mul(a).sub(m)
                .intoArray(panel, (b * 32 + j + 16) * 32 + i0);
    }

    /** 32 packed bytes (byte j of 32 sub-blocks) zero-extended to shorts. */
    private ShortVector nibbles(long off) {
        return (ShortVector) ByteVector.fromMemorySegment(B32, data, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
    }
}
