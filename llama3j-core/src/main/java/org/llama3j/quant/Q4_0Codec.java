package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.llama3j.tensor.DType;

/**
 * {@code block_q4_0} (ggml-common.h): f16 scale {@code d}, 16 bytes {@code qs}. Byte j holds element
 * j in its low nibble and element j+16 in its high nibble; x = d * (q - 8).
 * Quantizer follows {@code quantize_row_q4_0_ref} (ggml-quants.c): d = max / -8 where max is the
 * signed value of largest magnitude, q = min(15, (int8)(x / d + 8.5)).
 */
final class Q4_0Codec extends AbstractBlockCodec {
    private static final int QK = 32;

    Q4_0Codec() {
        super(DType.Q4_0);
    }

    @Override
    public boolean canQuantize() {
        return true;
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float scale = f16(src, off);
        for (int j = 0; j < QK / 2; j++) {
            int q = u8(src, off + 2 + j);
            dst[d + j] = ((q & 0x0F) - 8) * scale;
            dst[d + j + QK / 2] = ((q >>> 4) - 8) * scale;
        }
    }

    @Override
    void quantizeBlock(float[] src, int s, MemorySegment dst, long off) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < QK; j++) {
            float v = src[s + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putF16(dst, off, d);
        for (int j = 0; j < QK / 2; j++) {
            int q0 = Math.min(15, (byte) (int) (src[s + j] * id + 8.5f));
            int q1 = Math.min(15, (byte) (int) (src[s + j + QK / 2] * id + 8.5f));
            dst.set(ValueLayout.JAVA_BYTE, off + 2 + j, (byte) (q0 | (q1 << 4)));
        }
    }
}
