package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * {@code block_q5_0} (ggml-common.h): f16 scale {@code d}, 32 high bits {@code qh} (little-endian
 * uint32, bit j is the fifth bit of element j), 16 bytes {@code qs} of low nibbles laid out as in
 * Q4_0; x = d * (q - 16) ({@code dequantize_row_q5_0}).
 */
final class Q5_0Codec extends AbstractBlockCodec {
    private static final int QK = 32;

    Q5_0Codec() {
        super(DType.Q5_0);
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float scale = f16(src, off);
        int qh = src.get(LE_INT, off + 2);
        for (int j = 0; j < QK / 2; j++) {
            int q = u8(src, off + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            dst[d + j] = (((q & 0x0F) | h0) - 16) * scale;
            dst[d + j + QK / 2] = (((q >>> 4) | h1) - 16) * scale;
        }
    }
}
