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
 * Q5_K weights ({@code block_q5_K}: f16 {@code d}, f16 {@code dmin}, 12 bytes of 6-bit scales and
 * minimums as Q4_K, 32 bytes {@code qh} of fifth bits, 128 bytes of nibbles; 64-element chunk k
 * takes bit 2k of {@code qh[l]} for its low-nibble half and bit 2k+1 for its high-nibble half)
 * times Q8_K activations, as ggml's {@code ggml_vec_dot_q5_K_q8_K}.
 */
final class Q5_KMatMul extends KQuantMatMul {
    static final int BLOCK_BYTES = 176;
    private static final IntVector LOW_MASK = IntVector.broadcast(I, 0x0f);
    private static final IntVector HIGH_MASK = IntVector.broadcast(I, 0xf0);

    @Override
    public DType type() {
        return DType.Q5_K;
    }

    @Override
    int blockBytes() {
        return BLOCK_BYTES;
    }

    @Override
    float scalarRow(MemorySegment seg, long rowOff, int blocks, Q8KActivations x, int xBlock) {
        int[] sm = new int[16];
        float acc = 0f, accMin = 0f;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            Q4_KMatMul.scalesAndMins(seg, off, sm);
            int xb = xBlock + b;
            int sumi = 0;
            for (int j = 0; j < 8; j++) {
                long qs = off + 48 + (j / 2) * 32L;
                int shift = (j & 1) * 4;
                int base = xb * 256 + j * 32;
                int dot = 0;
                for (int l = 0; l < 32; l++) {
                    int q = ((u8(seg, qs + l) >>> shift) & 0x0F) + (((u8(seg, off + 16 + l) >>> j) & 1) << 4);
                    dot += q * x.quants[base + l];
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
            Q4_KMatMul.scalesAndMins(seg, off, sm);
            FloatVector s = FloatVector.zero(F);
            // as Q4_K (low nibbles against x, high nibbles ×16 against x/16), plus the fifth bit:
            // (qh & 2^(2k)) scaled by 16/2^(2k) for the low half, (qh & 2^(2k+1)) by 256/2^(2k+1)
            // for the high half (powers of two: exact)
            for (int k = 0; k < 4; k++) {
                long qs = off + 48 + 32L * k;
                int xo = xb * 256 + 64 * k;
                IntVector bitLow = IntVector.broadcast(I, 1 << (2 * k));
                IntVector bitHigh = IntVector.broadcast(I, 2 << (2 * k));
                FloatVector wLow = FloatVector.broadcast(F, 16f / (1 << (2 * k)));
                FloatVector wHigh = FloatVector.broadcast(F, 256f / (2 << (2 * k)));
                FloatVector pl = FloatVector.zero(F), ph = FloatVector.zero(F);
                for (int j = 0; j < 32; j += L) {
                    IntVector q = widen(seg, qs + j);
                    IntVector h = widen(seg, off + 16 + j);
                    FloatVector lo = ((FloatVector) bitLow.and(h).convertShape(VectorOperators.I2F, F, 0))
                            .fma(wLow, (FloatVector) LOW_MASK.and(q).convertShape(VectorOperators.I2F, F, 0));
                    FloatVector hi = ((FloatVector) bitHigh.and(h).convertShape(VectorOperators.I2F, F, 0))
                            .fma(wHigh, (FloatVector) HIGH_MASK.and(q).convertShape(VectorOperators.I2F, F, 0));
                    pl = lo.fma(FloatVector.fromArray(F, xf, xo + j), pl);
                    ph = hi.fma(FloatVector.fromArray(F, xf, xo + 32 + j), ph);
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

    private static IntVector widen(MemorySegment seg, long off) {
        return (IntVector) ByteVector.fromMemorySegment(B, seg, off, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }
}
