package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * What the K-quant copies share ({@link Q4_KInterleaved}, {@link Q5_KInterleaved},
 * {@link Q6_KInterleaved}): a group of 32 lanes is four super-blocks of 256, whose float scales are
 * spread over the int lanes by one shuffle; Q4_K and Q5_K also share their scale layout (four
 * {@code d}, four {@code dmin}, then the 6-bit {@code scⱼ} and {@code mⱼ} one byte each, even
 * sub-blocks first).
 */
abstract sealed class KQuantInterleaved extends InterleavedMatrix permits Q4_KInterleaved, Q5_KInterleaved, Q6_KInterleaved {
    /** Int lane i (sub-blocks 2i and 2i + 1) belongs to super-block i / 4. */
    static final VectorShuffle<Float> SUPER_BLOCK = VectorShuffle.fromOp(F, i -> i / 4);
    /** Q4_K and Q5_K: 4 × d and 4 × dmin (floats), then sc for even and odd sub-blocks, then m likewise (bytes). */
    static final int MIN_SCALE_BYTES = 8 * 4 + 4 * 16;

    KQuantInterleaved(int rows, int blocks, int quantBytes, int scaleBytes) {
        super(rows, blocks, quantBytes, scaleBytes);
    }

    /**
     * Q4_K and Q5_K: the {@code d}, {@code dmin} and 6-bit scales of the super-block at {@code off},
     * super-block {@code sb} of its group, into the group's {@code superScales} (d at {@code sb},
     * dmin at {@code 4 + sb}) and {@code laneScales}; false if {@code d} or {@code dmin} is infinite or NaN.
     */
    static boolean minScales(MemorySegment src, long off, int sb, float[] superScales, byte[] laneScales, int[] sm) {
        short dBits = src.get(LE_SHORT, off), minBits = src.get(LE_SHORT, off + 2);
        superScales[sb] = Float.float16ToFloat(dBits);
        superScales[4 + sb] = Float.float16ToFloat(minBits);
        Q4_KMatMul.scalesAndMins(src, off, sm);
        for (int j = 0; j < 8; j++) {
            int lane = 8 * sb + j, at = (lane & 1) * 16 + (lane >> 1);
            laneScales[at] = (byte) sm[j];
            laneScales[32 + at] = (byte) sm[8 + j];
        }
        return (dBits & 0x7c00) != 0x7c00 && (minBits & 0x7c00) != 0x7c00;
    }

    /** Quant bytes of padding lanes (their scales are zero, so any value gives 0; Q4_K's is Q4_0's). */
    @Override
    byte paddingByte() {
        return 0;
    }

    /**
     * Fills a group's scratch from the source row at {@code srcRow}, group {@code g} (zeroed before,
     * stored by {@link #copyGroups} after); false if a scale is not finite.
     */
    @FunctionalInterface
    interface GroupCopy {
        boolean copy(long srcRow, int g);
    }

    /**
     * For every group of rows {@code [from, to)}: zeroes the scratch ({@code floats}, {@code laneBytes},
     * {@code quants}), lets {@code copy} fill it, and stores it ({@link #storeGroup}); false if any group
     * had a non-finite scale.
     */
    final boolean copyGroups(long srcRowBytes, int from, int to, float[] floats, byte[] laneBytes, byte[] quants, GroupCopy copy) {
        boolean finite = true;
        for (int r = from; r < to; r++) {
            for (int g = 0; g < groups; g++) {
                java.util.Arrays.fill(floats, 0f);
                java.util.Arrays.fill(laneBytes, (byte) 0);
                java.util.Arrays.fill(quants, paddingByte());
                finite &= copy.copy(r * srcRowBytes, g);
                storeGroup(r * rowStride + g * groupBytes, floats, laneBytes, quants);
            }
        }
        return finite;
    }

    /** Writes the group at {@code dst}: the floats, then the lane bytes, then the quant bytes at {@link #scaleBytes}. */
    void storeGroup(long dst, float[] floats, byte[] laneBytes, byte[] quants) {
        MemorySegment.copy(floats, 0, data, LE_FLOAT, dst, floats.length);
        MemorySegment.copy(laneBytes, 0, data, ValueLayout.JAVA_BYTE, dst + 4L * floats.length, laneBytes.length);
        MemorySegment.copy(quants, 0, data, ValueLayout.JAVA_BYTE, dst + scaleBytes, quants.length);
    }

    /** Dequantizes lane {@code s} of a group copied to {@code group} into {@code values[0..32)}. */
    @FunctionalInterface
    interface LaneValues {
        void of(byte[] group, int s, float[] values);
    }

    /**
     * As {@link InterleavedMatrix#pack}, a lane at a time from the copy through an array (for the types
     * whose quant bits do not fit its one-byte-per-element transposes): {@code lane} gives each lane's
     * values as the file layout's dequantization does, bit for bit.
     */
    final void packLanes(int r0, int rows, float[] panel, LaneValues lane) {
        java.util.Arrays.fill(panel, 0, 32 * blocks * 32, 0f);
        byte[] group = new byte[(int) groupBytes];
        float[] values = new float[32];
        for (int i = 0; i < rows; i++) {
            for (int g = 0; g < groups; g++) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, (r0 + i) * rowStride + g * groupBytes, group, 0, group.length);
                for (int s = 0; s < GROUP_BLOCKS && g * GROUP_BLOCKS + s < blocks; s++) {
                    lane.of(group, s, values);
                    int b = g * GROUP_BLOCKS + s;
                    for (int e = 0; e < 32; e++) {
                        panel[(b * 32 + e) * 32 + i] = values[e];
                    }
                }
            }
        }
    }

    /** The group's four super-block floats at {@code off}, spread over the int lanes. */
    FloatVector superScales(long off) {
        return FloatVector.fromMemorySegment(F, data, off, LE).rearrange(SUPER_BLOCK);
    }

    /**
     * Two tokens as two one-token rows: the Q5_K and Q6_K loops are at C2's inlining budget alone, so
     * a two-token body would box its vectors; Q4_K has a real two-token tile.
     */
    @Override
    void dot1x2(int r, MemorySegment x, int t0, float[] acc, int a) {
        long ts = (long) groups * X_GROUP_BYTES;
        dotRow(r * rowStride, x, t0 * ts, acc, a);
        dotRow(r * rowStride, x, (t0 + 1) * ts, acc, a + 16);
    }
}
