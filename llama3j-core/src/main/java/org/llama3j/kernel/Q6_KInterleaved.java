package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K interleaved ({@link InterleavedMatrix}): a lane is 32 elements of a super-block
 * ({@code block_q6_K}: element {@code d·scᵢ·(q − 32)}, {@code q} 6 bits, one int8 scale per 16
 * elements). Per group of 32 lanes (four super-blocks) the copy holds the four {@code d} as floats,
 * each lane's two scales (even lanes first), then the 6-bit values split as the file splits them: the
 * low nibbles packed as Q4_0 packs them (byte {@code e} holds elements {@code e} and {@code e + 16}) and
 * the high 2 bits four to a byte (byte {@code e} holds elements {@code e}, {@code e + 8}, {@code e + 16},
 * {@code e + 24}); 848 bytes for 1,024 weights, the file's four super-blocks 840.
 *
 * <p>Activations are llama.cpp's Q8_K, transposed as for {@link Q4_KInterleaved}. A step rebuilds
 * elements {@code e}, {@code e + 8}, {@code e + 16}, {@code e + 24} of all 32 lanes on 16-bit lanes and
 * adds their products into one accumulator per 8-element chunk: {@code |Σ (q − 32)·x| ≤ 8·32·127 =
 * 32512} fits, exactly. Each lane's chunk sums are then widened, scaled by the lane's integer scales
 * and turned into float once ({@code d·dy·Σᵢ scᵢ·Σ (q − 32)·x}, ggml's
 * {@code ggml_vec_dot_q6_K_q8_K} with the same exact integer sums).
 */
final class Q6_KInterleaved extends KQuantInterleaved {
    /** Per group: 4 × d (floats), then the lanes' first and second scales, even lanes then odd (int8). */
    static final int SCALE_BYTES = 4 * 4 + 4 * 16;
    private static final int BLOCK_BYTES = 210;
    private static final int HIGH = SCALE_BYTES + 16 * GROUP_BLOCKS;

    Q6_KInterleaved(int rows, int blocks) {
        super(rows, blocks, 24, SCALE_BYTES);
    }

    /** Rows {@code [from, to)} of super-blocks into groups. Returns false if a {@code d} is infinite or NaN. */
    @Override
    boolean copyRows(MemorySegment src, long srcRowBytes, int blockBytes, int from, int to, int[] tile) {
        int[] q = new int[256];
        byte[] block = new byte[BLOCK_BYTES];
        float[] d = new float[4];
        byte[] scales = new byte[4 * 16];
        byte[] quants = new byte[24 * GROUP_BLOCKS];
        return copyGroups(srcRowBytes, from, to, d, scales, quants, (srcRow, g) -> {
            boolean finite = true;
            for (int sb = 0; sb < 4 && (g * GROUP_BLOCKS + 8 * sb) < blocks; sb++) {
                // the block in an array first: element-wise segment reads made this copy 3x slower
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, srcRow + (long) (g * 4 + sb) * BLOCK_BYTES, block, 0, BLOCK_BYTES);
                short dBits = (short) ((block[208] & 0xff) | block[209] << 8);
                finite &= (dBits & 0x7c00) != 0x7c00;
                d[sb] = Float.float16ToFloat(dBits);
                sixBitValues(block, q);
                for (int k = 0; k < 8; k++) {
                    int lane = 8 * sb + k, at = (lane & 1) * 16 + (lane >> 1);
                    scales[at] = block[192 + 2 * k];
                    scales[32 + at] = block[192 + 2 * k + 1];
                    splitLane(q, 32 * k, lane, quants);
                }
            }
            return finite;
        });
    }

    /** The 32 six-bit values from {@code q[e0]} into {@code lane}: low nibbles as Q4_0 packs them, high bits four to a byte. */
    private static void splitLane(int[] q, int e0, int lane, byte[] quants) {
        for (int e = 0; e < 16; e++) {
            quants[32 * e + lane] = (byte) ((q[e0 + e] & 0x0f) | (q[e0 + e + 16] & 0x0f) << 4);
        }
        for (int e = 0; e < 8; e++) {
            quants[16 * GROUP_BLOCKS + 32 * e + lane] = (byte) ((q[e0 + e] >> 4) | (q[e0 + e + 8] >> 4) << 2
                    | (q[e0 + e + 16] >> 4) << 4 | (q[e0 + e + 24] >> 4) << 6);
        }
    }

    /** The 256 unsigned 6-bit values of a super-block in element order ({@code dequantize_row_q6_K}). */
    private static void sixBitValues(byte[] block, int[] q) {
        for (int half = 0; half < 2; half++) {
            int ql = 64 * half, qh = 128 + 32 * half, y = 128 * half;
            for (int l = 0; l < 32; l++) {
                int a = block[ql + l] & 0xff, b = block[ql + l + 32] & 0xff, h = block[qh + l] & 0xff;
                q[y + l] = (a & 0x0f) | (h & 3) << 4;
                q[y + l + 32] = (b & 0x0f) | (h >> 2 & 3) << 4;
                q[y + l + 64] = (a >> 4) | (h >> 4 & 3) << 4;
                q[y + l + 96] = (b >> 4) | (h >> 6 & 3) << 4;
            }
        }
    }

    /** Per thread: a group's four chunk sums, handed from the loop to {@link #groupSum} through memory. */
    private static final ThreadLocal<short[]> CHUNK_SUMS = ThreadLocal.withInitial(() -> new short[4 * 32]);

    /**
     * Per group, the chunk sums are made in two halves and combined in a third method, handing them
     * over through an array: in one method the loop and epilogue were past C2's inlining budget, and
     * a vector passed to a call it does not inline is boxed (the one-token kernel ran at 4.6 GB/s).
     */
    @Override
    void dotRow(long row, MemorySegment x, long xt, float[] acc, int at) {
        short[] chunks = CHUNK_SUMS.get();
        java.util.Arrays.fill(acc, at, at + 16, 0f);
        for (int g = 0; g < groups; g++) {
            long w = row + g * groupBytes, xo = xt + (long) g * X_GROUP_BYTES;
            chunkSums(w, x, xo, chunks);
            groupSum(chunks, w, x, xo, acc, at);
        }
    }

    /**
     * For each half: nibble bytes {@code 8·half + e} (elements {@code 8·half + e} and
     * {@code 8·half + e + 16} of each lane) with their high bits, times the activations, summed over
     * {@code e < 8} into {@code chunks[32·half …]} and {@code chunks[64 + 32·half …]}. One loop body for
     * both halves (C2 parses it once, within its budget).
     */
    private void chunkSums(long w, MemorySegment x, long xo, short[] chunks) {
        for (int half = 0; half < 2; half++) {
            ShortVector low = ShortVector.zero(S), high = low;
            int down = 2 * half;
            // the JDK's loads directly, not this class's helpers: C2 inlines @ForceInline methods past
            // its node budget, ours not, and a helper returning a vector that is not inlined boxes it
            for (int e = 0; e < 8; e++) {
                ShortVector nibbles = (ShortVector) ByteVector.fromMemorySegment(B32, data, w + SCALE_BYTES + 32L * (8 * half + e), LE)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
                ShortVector top = ((ShortVector) ByteVector.fromMemorySegment(B32, data, w + HIGH + 32L * e, LE)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0)).lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.LSHR, down);
                long xe = xo + 64L * (8 * half + e);
                low = low.add(nibbles.and((short) 0x0f).or(top.and((short) 0x30)).sub((short) 32)
                        .mul(ShortVector.fromMemorySegment(S, x, xe, LE)));
                high = high.add(nibbles.lanewise(VectorOperators.LSHR, 4).or(top.lanewise(VectorOperators.LSHR, 4).and((short) 0x30))
                        .sub((short) 32).mul(ShortVector.fromMemorySegment(S, x, xe + 1024, LE)));
            }
            low.intoArray(chunks, 32 * half);
            high.intoArray(chunks, 64 + 32 * half);
        }
    }

    /**
     * {@code acc[at..at+16) += Σ d·dy·(sc₀·(c₀ + c₁) + sc₁·(c₂ + c₃))} over the group's lanes: the int
     * lanes of the chunk sums {@code cᵢ} (at {@code chunks[32·i]}) pack two lanes' 16-bit sums each (even
     * lanes low), widened before they are added (two chunks can reach ±65024).
     */
    private void groupSum(short[] chunks, long w, MemorySegment x, long xo, float[] acc, int at) {
        IntVector c0 = ShortVector.fromArray(S, chunks, 0).reinterpretAsInts(), c1 = ShortVector.fromArray(S, chunks, 32).reinterpretAsInts();
        IntVector c2 = ShortVector.fromArray(S, chunks, 64).reinterpretAsInts(), c3 = ShortVector.fromArray(S, chunks, 96).reinterpretAsInts();
        FloatVector d = superScales(w);
        FloatVector sum = FloatVector.fromArray(F, acc, at);
        for (int h = 0; h < 2; h++) {
            int up = 16 - 16 * h;
            IntVector a = c0.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16)
                    .add(c1.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16));
            IntVector b = c2.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16)
                    .add(c3.lanewise(VectorOperators.LSHL, up).lanewise(VectorOperators.ASHR, 16));
            IntVector sc0 = (IntVector) ByteVector.fromMemorySegment(B16, data, w + 16 + 16 * h, LE).convertShape(VectorOperators.B2I, I, 0);
            IntVector sc1 = (IntVector) ByteVector.fromMemorySegment(B16, data, w + 48 + 16 * h, LE).convertShape(VectorOperators.B2I, I, 0);
            sum = ((FloatVector) a.mul(sc0).add(b.mul(sc1)).convert(VectorOperators.I2F, 0)).mul(d)
                    .fma(FloatVector.fromMemorySegment(F, x, xo + X_SCALES + 64 * h, LE), sum);
        }
        sum.intoArray(acc, at);
    }

    /** Rows dequantized from the copy ({@code d·sc·(q − 32)}, {@code dequantize_row_q6_K}'s order). */
    @Override
    void pack(int r0, int rows, float[] panel, int[] tile, float[] scales) {
        packLanes(r0, rows, panel, (group, s, values) -> {
            int at = (s & 1) * 16 + (s >> 1);
            float d = floatAt(group, 4 * (s / 8));
            int sc0 = group[16 + at], sc1 = group[48 + at];
            for (int e = 0; e < 32; e++) {
                int nibble = (group[SCALE_BYTES + 32 * (e & 15) + s] >> (e < 16 ? 0 : 4)) & 0x0f;
                int top = (group[HIGH + 32 * (e & 7) + s] >> (2 * (e / 8))) & 3;
                values[e] = d * (e < 16 ? sc0 : sc1) * ((nibble | top << 4) - 32);
            }
        });
    }

    @Override
    void storeElements(int[] tile, int s, float[] scales, int blockInGroup, int b, int j, float[] panel, int i0) {
        throw new UnsupportedOperationException("Q6_K packs its panels in pack()");
    }
}
