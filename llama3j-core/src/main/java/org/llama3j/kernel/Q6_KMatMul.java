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
 * Q6_K weights ({@code block_q6_K}: 128 bytes of low nibbles {@code ql}, 64 bytes of 2-bit high
 * parts {@code qh}, 16 int8 scales, f16 {@code d}; q = (low | high << 4) − 32) times Q8_K
 * activations, as ggml's {@code ggml_vec_dot_q6_K_q8_K}: per super-block
 * {@code d·dy·Σ_g sc_g·Σ q·qy} over 16 groups of 16, the sums in integers.
 */
final class Q6_KMatMul extends KQuantMatMul {
    static final int BLOCK_BYTES = 210;
    // masks as receivers so that C2 binds the lane operations statically (see Q4_0MatMul)
    private static final IntVector M0F = IntVector.broadcast(I, 0x0f);
    private static final IntVector MF0 = IntVector.broadcast(I, 0xf0);
    private static final IntVector M03 = IntVector.broadcast(I, 0x03);
    private static final IntVector M0C = IntVector.broadcast(I, 0x0c);
    private static final IntVector M30 = IntVector.broadcast(I, 0x30);
    private static final IntVector MC0 = IntVector.broadcast(I, 0xc0);
    private static final IntVector C32 = IntVector.broadcast(I, 32);

    @Override
    public DType type() {
        return DType.Q6_K;
    }

    @Override
    int blockBytes() {
        return BLOCK_BYTES;
    }

    @Override
    float scalarRow(MemorySegment seg, long rowOff, int blocks, Q8KActivations x, int xBlock) {
        int[] q = new int[256];
        float acc = 0f;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            for (int h = 0; h < 2; h++) {
                long ql = off + 64L * h, qh = off + 128 + 32L * h;
                for (int l = 0; l < 32; l++) {
                    int lo0 = u8(seg, ql + l), lo1 = u8(seg, ql + l + 32), hi = u8(seg, qh + l);
                    q[128 * h + l] = ((lo0 & 0x0F) | ((hi & 3) << 4)) - 32;
                    q[128 * h + l + 32] = ((lo1 & 0x0F) | (((hi >>> 2) & 3) << 4)) - 32;
                    q[128 * h + l + 64] = ((lo0 >>> 4) | (((hi >>> 4) & 3) << 4)) - 32;
                    q[128 * h + l + 96] = ((lo1 >>> 4) | (((hi >>> 6) & 3) << 4)) - 32;
                }
            }
            int xb = xBlock + b;
            int sumi = 0;
            for (int g = 0; g < 16; g++) {
                int dot = 0;
                for (int l = 0; l < 16; l++) {
                    dot += q[g * 16 + l] * x.quants[xb * 256 + g * 16 + l];
                }
                sumi += seg.get(ValueLayout.JAVA_BYTE, off + 192 + g) * dot;
            }
            acc += f16(seg, off + 208) * x.scales[xb] * sumi;
        }
        return acc;
    }

    @Override
    float vectorRow(MemorySegment seg, long rowOff, int blocks, Q8KActivations x, int xBlock) {
        float[] xf = x.floats;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            int xb = (xBlock + b) * 256;
            FloatVector s = FloatVector.zero(F);
            // one loop body for both 128-element halves (64 bytes of ql, 32 of qh, 8 scales each)
            // and their L-lane slices; products and scaled sums stay exact integers in float lanes
            for (int h = 0; h < 2; h++) {
                long ql = off + 64L * h, qh = off + 128 + 32L * h, sc = off + 192 + 8L * h;
                int xo = xb + 128 * h;
                for (int l = 0; l < 32; l += L) {
                    IntVector a = widen(seg, ql + l);
                    IntVector c = widen(seg, ql + 32 + l);
                    IntVector hb = widen(seg, qh + l);
                    long g = sc + l / 16;
                    IntVector q1 = M0F.and(a).add(M03.and(hb).lanewise(VectorOperators.LSHL, 4)).sub(C32);
                    IntVector q2 = M0F.and(c).add(M0C.and(hb).lanewise(VectorOperators.LSHL, 2)).sub(C32);
                    IntVector q3 = MF0.and(a).lanewise(VectorOperators.LSHR, 4).add(M30.and(hb)).sub(C32);
                    IntVector q4 = MF0.and(c).lanewise(VectorOperators.LSHR, 4)
                            .add(MC0.and(hb).lanewise(VectorOperators.LSHR, 2)).sub(C32);
                    s = ((FloatVector) q1.convertShape(VectorOperators.I2F, F, 0)).mul(FloatVector.fromArray(F, xf, xo + l))
                            .fma(FloatVector.broadcast(F, scale(seg, g)), s);
                    s = ((FloatVector) q2.convertShape(VectorOperators.I2F, F, 0)).mul(FloatVector.fromArray(F, xf, xo + 32 + l))
                            .fma(FloatVector.broadcast(F, scale(seg, g + 2)), s);
                    s = ((FloatVector) q3.convertShape(VectorOperators.I2F, F, 0)).mul(FloatVector.fromArray(F, xf, xo + 64 + l))
                            .fma(FloatVector.broadcast(F, scale(seg, g + 4)), s);
                    s = ((FloatVector) q4.convertShape(VectorOperators.I2F, F, 0)).mul(FloatVector.fromArray(F, xf, xo + 96 + l))
                            .fma(FloatVector.broadcast(F, scale(seg, g + 6)), s);
                }
            }
            acc = s.fma(FloatVector.broadcast(F, f16(seg, off + 208) * x.scales[xBlock + b]), acc);
        }
        return VectorMath.sum(acc);
    }

    private static float scale(MemorySegment seg, long off) {
        return seg.get(ValueLayout.JAVA_BYTE, off);
    }

    private static IntVector widen(MemorySegment seg, long off) {
        return (IntVector) ByteVector.fromMemorySegment(B, seg, off, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }
}
