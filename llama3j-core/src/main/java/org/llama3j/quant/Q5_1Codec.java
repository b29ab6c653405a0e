package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * {@code block_q5_1} (ggml-common.h): f16 scale {@code d}, f16 minimum {@code m}, 32 high bits
 * {@code qh}, 16 bytes {@code qs} as in Q5_0; x = d * q + m ({@code dequantize_row_q5_1}).
 */
final class Q5_1Codec extends AbstractBlockCodec {
    private static final int QK = 32;

    Q5_1Codec() {
        super(DType.Q5_1);
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float scale = f16(src, off);
        float min = f16(src, off + 2);
        int qh = src.get(LE_INT, off + 4);
        for (int j = 0; j < QK / 2; j++) {
            int q = u8(src, off + 8 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            dst[d + j] = ((q & 0x0F) | h0) * scale + min;
            dst[d + j + QK / 2] = ((q >>> 4) | h1) * scale + min;
        }
    }
}
