package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_K interleaved ({@link InterleavedMatrix}): a lane is one 32-element sub-block of a super-block
 * ({@code block_q5_K}: element {@code d·scⱼ·q − dmin·mⱼ}, {@code q} 5 bits). The scales are laid out
 * as {@link Q4_KInterleaved}'s (four {@code d} and {@code dmin} floats, the 6-bit {@code scⱼ} and
 * {@code mⱼ} one byte each), then the low nibbles packed as Q4_0 packs them (byte {@code e} holds
 * elements {@code e} and {@code e + 16}), then each lane's 32 fifth bits in 4 bytes (byte {@code b},
 * bit {@code s}: element {@code 4b + s}; bit {@code 4 + s}: element {@code 4b + s + 16}): 736 bytes
 * for 1,024 weights, the file's four super-blocks 704.
 *
 * <p>Activations are Q8_K, as for Q4_K. A step rebuilds elements {@code e} and {@code e + 16} of all
 * 32 lanes on 16-bit lanes and adds {@code (q − 16)·x} into one accumulator per 16-element half
 * ({@code |Σ| ≤ 16·16·127 = 32512}, exact); per group the halves are widened and added, the bias
 * added back ({@code Σ q·x = Σ (q − 16)·x + 16·Σx}), and the lane's {@code A = d·sc}, {@code M = dmin·m}
 * applied as for Q4_K ({@code ggml_vec_dot_q5_K_q8_K}'s exact integer sums).
 */
final class Q5_KInterleaved extends KQuantInterleaved {
    static final int SCALE_BYTES = MIN_SCALE_BYTES;
    private static final int BLOCK_BYTES = 176;
    private static final int HIGH = SCALE_BYTES + 16 * GROUP_BLOCKS;
    /** Per thread: a group's two half sums, handed from the loop to {@link #groupSum} through memory (see {@link Q6_KInterleaved}). */
    private static final ThreadLocal<short[]> HALF_SUMS = ThreadLocal.withInitial(() -> new short[2 * 32]);

    Q5_KInterleaved(int rows, int blocks) {
        super(rows, blocks, 20, SCALE_BYTES);
    }

    /** Rows {@code [from, to)} of super-blocks into groups. Returns false if a {@code d} or {@code dmin} is infinite or NaN. */
    @Override
    boolean copyRows(MemorySegment src, long srcRowBytes, int blockBytes, int from, int to, int[] tile) {
        int[] sm = new int[16];
        byte[] block = new byte[BLOCK_BYTES];
        float[] superScales = new float[8];
        byte[] laneScales = new byte[4 * 16];
        byte[] quants = new byte[20 * GROUP_BLOCKS];
        return copyGroups(srcRowBytes, from, to, superScales, laneScales, quants, (srcRow, g) -> {
            boolean finite = true;
            for (int sb = 0; sb < 4 && g * GROUP_BLOCKS + 8 * sb < blocks; sb++) {
                long off = srcRow + (long) (g * 4 + sb) * BLOCK_BYTES;
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, block, 0, BLOCK_BYTES);
                finite &= minScales(src, off, sb, superScales, laneScales, sm);
                for (int j = 0; j < 8; j++) {
                    fifthBitLane(block, j, 8 * sb + j, quants);
                }
            }
            return finite;
        });
    }

    /**
     * Sub-block {@code j} of a super-block into {@code lane} of a group's quant bytes: its nibbles from
     * chunk {@code j / 2} (low for even {@code j}, high for odd), its fifth bits from bit {@code j} of
     * {@code qh[l]}.
     */
    private static void fifthBitLane(byte[] block, int j, int lane, byte[] quants) {
        int chunk = 48 + 32 * (j / 2), shift = 4 * (j & 1);
        for (int e = 0; e < 16; e++) {
            int lo = (block[chunk + e] >> shift) & 0x0f, hi = (block[chunk + e + 16] >> shift) & 0x0f;
            quants[32 * e + lane] = (byte) (lo | hi << 4);
        }
        for (int b = 0; b < 4; b++) {
            int bits = 0;
            for (int s = 0; s < 4; s++) {
                bits |= ((block[16 + 4 * b + s] >> j) & 1) << s;
                bits |= ((block[16 + 4 * b + s + 16] >> j) & 1) << (4 + s);
            }
            quants[16 * GROUP_BLOCKS + 32 * b + lane] = (byte) bits;
        }
    }

    /** The half sums reach {@link #groupSum} through an array, as in {@link Q6_KInterleaved#dotRow}. */
    @Override
    void dotRow(long row, MemorySegment x, long xt, float[] acc, int at) {
        short[] halves = HALF_SUMS.get();
        java.util.Arrays.fill(acc, at, at + 16, 0f);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes, xo = xt + (long) g * X_GROUP_BYTES;
            halfSums(w, x, xo, halves);
            groupSum(halves, w, x, xo, acc, at);
        }
    }

    /** {@code Σ (q − 16)·x} over elements 0..15 and 16..31 of each lane into {@code halves[0…]} and {@code halves[32…]}. */
    private void halfSums(long w, MemorySegment x, long xo, short[] halves) {
        ShortVector first = ShortVector.zero(S), second = first;
        // the JDK's loads written out, not helpers (see Q6_KInterleaved.chunkSums)
        for (int e = 0; e < 16; e++) {
            ShortVector nibbles = (ShortVector) ByteVector.fromMemorySegment(B32, data, w + SCALE_BYTES + 32L * e, LE)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
            ShortVector bits = (ShortVector) ByteVector.fromMemorySegment(B32, data, w + HIGH + 32L * (e >> 2), LE)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
            int s = e & 3;
            long xe = xo + 64L * e;
            first = first.add(nibbles.and((short) 0x0f).or(bits.lanewise(VectorOperators.LSHL, 4 - s).and((short) 0x10))
                    .sub((short) 16).mul(ShortVector.fromMemorySegment(S, x, xe, LE)));
            second = second.add(nibbles.lanewise(VectorOperators.LSHR, 4).or(bits.lanewise(VectorOperators.LSHR, s).and((short) 0x10))
                    .sub((short) 16).mul(ShortVector.fromMemorySegment(S, x, xe + 1024, LE)));
        }
        first.intoArray(halves, 0);
        second.intoArray(halves, 32);
    }

    /** {@code acc[at..at+16) += Σ dy·(A·Σ q·x − M·Σx)} over the group's lanes, even lanes then odd. */
    private void groupSum(short[] halves, long w, MemorySegment x, long xo, float[] acc, int at) {
        IntVector h0 = ShortVector.fromArray(S, halves, 0).reinterpretAsInts(), h1 = ShortVector.fromArray(S, halves, 32).reinterpretAsInts();
        IntVector bias = ShortVector.fromMemorySegment(S, x, xo + X_BIAS, LE).reinterpretAsInts();
        FloatVector d = superScales(w), dMin = superScales(w + 16);
        FloatVector sum = FloatVector.fromArray(F, acc, at);
        for (int h = 0; h < 2; h++) {
            int up = 16 - 16 * h;
            IntVector b = bias.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16);
            // Σ q·x = Σ (q − 16)·x + 16·Σx, and the activations hold 8·Σx
            IntVector qx = h0.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16)
                    .add(h1.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16)).add(b.lanewise(VectorOperators.LSHL, 1));
            FloatVector a = d.mul((FloatVector) ((IntVector) ByteVector.fromMemorySegment(B16, data, w + 32 + 16 * h, LE)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0)).convert(VectorOperators.I2F, 0));
            FloatVector m = dMin.mul((FloatVector) ((IntVector) ByteVector.fromMemorySegment(B16, data, w + 64 + 16 * h, LE)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0)).convert(VectorOperators.I2F, 0));
            FloatVector sumX = (FloatVector) b.lanewise(VectorOperators.ASHR, 3).convert(VectorOperators.I2F, 0);
            sum = ((FloatVector) qx.convert(VectorOperators.I2F, 0)).mul(a).sub(sumX.mul(m))
                    .fma(FloatVector.fromMemorySegment(F, x, xo + X_SCALES + 64 * h, LE), sum);
        }
        sum.intoArray(acc, at);
    }

    /** Rows dequantized from the copy ({@code A·q − M}, {@code dequantize_row_q5_K}'s order). */
    @Override
    void pack(int r0, int rows, float[] panel, int[] tile, float[] scales) {
        packLanes(r0, rows, panel, (group, s, values) -> {
            int at = (s & 1) * 16 + (s >> 1);
            float a = floatAt(group, 4 * (s / 8)) * (group[32 + at] & 0xff);
            float m = floatAt(group, 16 + 4 * (s / 8)) * (group[64 + at] & 0xff);
            for (int e = 0; e < 32; e++) {
                int nibble = (group[SCALE_BYTES + 32 * (e & 15) + s] >> (e < 16 ? 0 : 4)) & 0x0f;
                int bit = (group[HIGH + 32 * ((e & 15) >> 2) + s] >> ((e & 3) + (e < 16 ? 0 : 4))) & 1;
                values[e] = a * (nibble | bit << 4) - m;
            }
        });
    }

    @Override
    void storeElements(int[] tile, int s, float[] scales, int blockInGroup, int b, int j, float[] panel, int i0) {
        throw new UnsupportedOperationException("Q5_K packs its panels in pack()");
    }
}
