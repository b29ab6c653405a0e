package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * {@code block_q4_1} (ggml-common.h): f16 scale {@code d}, f16 minimum {@code m}, 16 bytes
 * {@code qs} (nibbles as in Q4_0); x = d * q + m ({@code dequantize_row_q4_1}).
 */
final class Q4_1Codec extends AbstractBlockCodec {
    private static final int QK = 32;

    Q4_1Codec() {
        super(DType.Q4_1);
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float scale = f16(src, off);
        float min = f16(src, off + 2);
        for (int j = 0; j < QK / 2; j++) {
            int q = u8(src, off + 4 + j);
            dst[d + j] = (q & 0x0F) * scale + min;
            dst[d + j + QK / 2] = (q >>> 4) * scale + min;
        }
    }
}
