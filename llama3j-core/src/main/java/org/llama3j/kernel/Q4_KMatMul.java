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

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The 8 scales then the 8 minimums of the super-block at {@code off} ({@code get_scale_min_k4}):
     * 6 bits each, packed in 12 bytes. Scales 0–3 and minimums 0–3 are the low 6 bits of bytes 0–3
     * and 4–7; scale and minimum 4+t take their low 4 bits from byte 8+t (low and high nibble) and their
     * top 2 bits from the top of bytes t and 4+t. Done on the three little-endian words four bytes at a
     * time, as ggml's x86 path does, instead of byte by byte: that made the Q4_K row kernel 1.35–1.45× faster
     * (bench/RESULTS.md, "K-quant scales").
     */
    static void scalesAndMins(MemorySegment seg, long off, int[] sm) {
        int w0 = seg.get(LE_INT, off + 4), w1 = seg.get(LE_INT, off + 8), w2 = seg.get(LE_INT, off + 12);
        int scalesLow = w0 & 0x3f3f3f3f;
        int scalesHigh = (w2 & 0x0f0f0f0f) | (((w0 >>> 6) & 0x03030303) << 4);
        int minsLow = w1 & 0x3f3f3f3f;
        int minsHigh = ((w2 >>> 4) & 0x0f0f0f0f) | (((w1 >>> 6) & 0x03030303) << 4);
        for (int t = 0; t < 4; t++) {
            sm[t] = (scalesLow >>> (8 * t)) & 0xff;
            sm[4 + t] = (scalesHigh >>> (8 * t)) & 0xff;
            sm[8 + t] = (minsLow >>> (8 * t)) & 0xff;
            sm[12 + t] = (minsHigh >>> (8 * t)) & 0xff;
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
            int sumi = 0;
            for (int j = 0; j < 8; j++) {
                long qs = off + 16 + (j / 2) * 32L;
                int shift = (j & 1) * 4;
                int base = xb * 256 + j * 32;
                int dot = 0;
                for (int l = 0; l < 32; l++) {
                    dot += ((u8(seg, qs + l) >>> shift) & 0x0F) * x.quants[base + l];
                }
                sumi += sm[j] * dot;
            }
            acc += f16(seg, off) * x.scales[xb] * sumi;
            accMin += f16(seg, off + 2) * x.scales[xb] * minSum(sm, x.bsums, xb);
        }
        return acc - accMin;
    }

    @Override
    float vectorRow(MemorySegment seg, long rowOff, int blocks, Q8KActivations x, int xBlock) {
        float[] xf = x.q4kFloats;
        int[] sm = new int[16];
        FloatVector acc = FloatVector.zero(F);
        float accMin = 0f;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xb = xBlock + b;
            scalesAndMins(seg, off, sm);
            FloatVector s = FloatVector.zero(F);
            // one loop body for the four 64-element chunks (32 bytes each): low nibbles against
            // xf[x..x+32), high nibbles masked but not shifted (16x their value) against
            // xf[x+32..x+64), which hold the activations divided by 16; each half times its
            // integer 6-bit scale, exactly. (A helper per chunk would not be inlined: C2's node
            // budget, and vectors crossing a call are boxed.)
            for (int k = 0; k < 4; k++) {
                long qs = off + 16 + 32L * k;
                int xo = xb * 256 + 64 * k;
                FloatVector pl = FloatVector.zero(F), ph = FloatVector.zero(F);
                for (int j = 0; j < 32; j += L) {
                    IntVector q = (IntVector) ByteVector.fromMemorySegment(B, seg, qs + j, ByteOrder.LITTLE_ENDIAN)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    pl = ((FloatVector) LOW_MASK.and(q).convertShape(VectorOperators.I2F, F, 0))
                            .fma(FloatVector.fromArray(F, xf, xo + j), pl);
                    ph = ((FloatVector) HIGH_MASK.and(q).convertShape(VectorOperators.I2F, F, 0))
                            .fma(FloatVector.fromArray(F, xf, xo + 32 + j), ph);
                }
                s = ph.fma(FloatVector.broadcast(F, sm[2 * k + 1]), pl.fma(FloatVector.broadcast(F, sm[2 * k]), s));
            }
            int summ = minSum(sm, x.bsums, xb);
            float dy = x.scales[xb];
            acc = s.fma(FloatVector.broadcast(F, f16(seg, off) * dy), acc);
            accMin += f16(seg, off + 2) * dy * summ;
        }
        return VectorMath.sum(acc) - accMin;
    }
}
