package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.llama3j.tensor.DType;

/**
 * {@code block_q8_0} (ggml-common.h): f16 scale {@code d}, then 32 int8 {@code qs}; x = d * q.
 * Quantizer follows {@code quantize_row_q8_0_ref} (ggml-quants.c): d = amax / 127, q = roundf(x / d)
 * with the float reciprocal of the unrounded d, and d stored as f16.
 */
final class Q8_0Codec extends AbstractBlockCodec {
    private static final int QK = 32;

    Q8_0Codec() {
        super(DType.Q8_0);
    }

    @Override
    public boolean canQuantize() {
        return true;
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float scale = f16(src, off);
        for (int j = 0; j < QK; j++) {
            dst[d + j] = i8(src, off + 2 + j) * scale;
        }
    }

    @Override
    void quantizeBlock(float[] src, int s, MemorySegment dst, long off) {
        float amax = 0;
        for (int j = 0; j < QK; j++) {
            amax = Math.max(amax, Math.abs(src[s + j]));
        }
        float d = amax / 127f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putF16(dst, off, d);
        for (int j = 0; j < QK; j++) {
            dst.set(ValueLayout.JAVA_BYTE, off + 2 + j, (byte) CRound.roundf(src[s + j] * id));
        }
    }
}
