package org.llama3j.kernel;

import static org.llama3j.kernel.Int8Dot.B;
import static org.llama3j.kernel.Int8Dot.F;
import static org.llama3j.kernel.Int8Dot.I;
import static org.llama3j.kernel.Int8Dot.L;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.llama3j.tensor.DType;

/**
 * Q4_K weights ({@code block_q4_K}: f16 {@code d}, f16 {@code dmin}, 12 bytes of 6-bit scales and
 * minimums, 128 bytes of nibbles; each 64 elements read 32 bytes, low nibbles first) times Q8_K
 * activations, as ggml's {@code ggml_vec_dot_q4_K_q8_K}: per super-block
 * {@code d·dy·Σⱼ scⱼ·Σ q·qy − dmin·dy·Σⱼ mⱼ·bsumⱼ} with the sums in integers.
 */
final class Q4_KMatMul extends KQuantMatMul {
    static final int BLOCK_BYTES = 144;
    private static final IntVector LOW_MASK = IntVector.broadcast(I, 0x0f);
    private static final IntVector HIGH_MASK = IntVector.broadcast(I, 0xf0);

    @Override
    public DType type() {
        return DType.Q4_K;
    }

    @Override
    int blockBytes() {
        return BLOCK_BYTES;
    }

    /** The 8 scales then the 8 minimums of the super-block at {@code off} ({@code get_scale_min_k4}). */
    static void scalesAndMins(MemorySegment seg, long off, int[] sm) {
        long q = off + 4;
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                sm[j] = u8(seg, q + j) & 63;
                sm[8 + j] = u8(seg, q + j + 4) & 63;
            } else {
                sm[j] = (u8(seg, q + j + 4) & 0x0F) | ((u8(seg, q + j - 4) >>> 6) << 4);
                sm[8 + j] = (u8(seg, q + j + 4) >>> 4) | ((u8(seg, q + j) >>> 6) << 4);
            }
        }
    }

    @Override
    float scalarRow(MemorySegment seg, long rowOff, int blocks, Q8KActivations x, int xBlock) {
        int[] sm = new int[16];
        float acc = 0f, accMin = 0f;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            scalesAndMins(seg, off, sm);
            int xb = xBlock + b;
            int sumi = 0, summ = 0;
            for (int j = 0; j < 8; j++) {
                long qs = off + 16 + (j / 2) * 32L;
                int shift = (j & 1) * 4;
                int base = xb * 256 + j * 32;
                int dot = 0;
                for (int l = 0; l < 32; l++) {
                    dot += ((u8(seg, qs + l) >>> shift) & 0x0F) * x.quants[base + l];
                }
                sumi += sm[j] * dot;
                summ += sm[8 + j] * (x.bsums[xb * 16 + 2 * j] + x.bsums[xb * 16 + 2 * j + 1]);
            }
            acc += f16(seg, off) * x.scales[xb] * sumi;
            accMin += f16(seg, off + 2) * x.scales[xb] * summ;
        }
        return acc - accMin;
    }

    @Override
    float vectorRow(MemorySegment seg, long rowOff, int blocks, Q8KActivations x, int xBlock) {
        float[] xf = x.q4kFloats;
        FloatVector acc = FloatVector.zero(F);
        float accMin = 0f;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xb = xBlock + b;
            long q = off + 4;
            int b0 = u8(seg, q), b1 = u8(seg, q + 1), b2 = u8(seg, q + 2), b3 = u8(seg, q + 3);
            int b4 = u8(seg, q + 4), b5 = u8(seg, q + 5), b6 = u8(seg, q + 6), b7 = u8(seg, q + 7);
            int b8 = u8(seg, q + 8), b9 = u8(seg, q + 9), b10 = u8(seg, q + 10), b11 = u8(seg, q + 11);
            // get_scale_min_k4, unrolled: scales 0..3 and mins 0..3 are the low 6 bits of bytes
            // 0..3 and 4..7; scales/mins 4..7 take 4 bits from bytes 8..11 and 2 from the top of 0..7
            FloatVector s = FloatVector.zero(F);
            s = chunk(seg, off + 16, xf, xb * 256, b0 & 63, b1 & 63, s);
            s = chunk(seg, off + 48, xf, xb * 256 + 64, b2 & 63, b3 & 63, s);
            s = chunk(seg, off + 80, xf, xb * 256 + 128, (b8 & 0x0F) | ((b0 >>> 6) << 4), (b9 & 0x0F) | ((b1 >>> 6) << 4), s);
            s = chunk(seg, off + 112, xf, xb * 256 + 192, (b10 & 0x0F) | ((b2 >>> 6) << 4), (b11 & 0x0F) | ((b3 >>> 6) << 4), s);
            int[] bs = x.bsums;
            int o = xb * 16;
            int m0 = b4 & 63, m1 = b5 & 63, m2 = b6 & 63, m3 = b7 & 63;
            int m4 = (b8 >>> 4) | ((b4 >>> 6) << 4), m5 = (b9 >>> 4) | ((b5 >>> 6) << 4);
            int m6 = (b10 >>> 4) | ((b6 >>> 6) << 4), m7 = (b11 >>> 4) | ((b7 >>> 6) << 4);
            int summ = m0 * (bs[o] + bs[o + 1]) + m1 * (bs[o + 2] + bs[o + 3]) + m2 * (bs[o + 4] + bs[o + 5])
                    + m3 * (bs[o + 6] + bs[o + 7]) + m4 * (bs[o + 8] + bs[o + 9]) + m5 * (bs[o + 10] + bs[o + 11])
                    + m6 * (bs[o + 12] + bs[o + 13]) + m7 * (bs[o + 14] + bs[o + 15]);
            float dy = x.scales[xb];
            acc = s.fma(FloatVector.broadcast(F, f16(seg, off) * dy), acc);
            accMin += f16(seg, off + 2) * dy * summ;
        }
        return VectorMath.sum(acc) - accMin;
    }

    /**
     * 64 elements (32 bytes at {@code qs}): low nibbles against {@code xf[x..x+32)}, high nibbles
     * (masked, not shifted: 16× their value) against {@code xf[x+32..x+64)}, which hold the
     * activations divided by 16; each half scaled by its integer 6-bit scale, exactly.
     */
    private static FloatVector chunk(MemorySegment seg, long qs, float[] xf, int x, int scLow, int scHigh, FloatVector s) {
        FloatVector pl = FloatVector.zero(F), ph = FloatVector.zero(F);
        for (int j = 0; j < 32; j += L) {
            IntVector q = (IntVector) ByteVector.fromMemorySegment(B, seg, qs + j, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            pl = ((FloatVector) LOW_MASK.and(q).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xf, x + j), pl);
            ph = ((FloatVector) HIGH_MASK.and(q).convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, xf, x + 32 + j), ph);
        }
        return ph.fma(FloatVector.broadcast(F, scHigh), pl.fma(FloatVector.broadcast(F, scLow), s));
    }
}
