package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * {@code block_q4_K} (ggml-common.h): f16 {@code d}, f16 {@code dmin}, 12 bytes of 6-bit
 * scales/mins ({@link KQuantScales}), 128 bytes {@code qs}; each 64 elements read 32 bytes, low
 * nibbles first; x = d * sc * q - dmin * m ({@code dequantize_row_q4_K}).
 */
final class Q4_KCodec extends AbstractBlockCodec {
    private static final int QK_K = 256;

    Q4_KCodec() {
        super(DType.Q4_K);
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float dAll = f16(src, off);
        float dMin = f16(src, off + 2);
        long scales = off + 4;
        long q = off + 16;
        int y = d;
        for (int j = 0, is = 0; j < QK_K; j += 64, is += 2, q += 32) {
            float d1 = dAll * KQuantScales.scale(src, scales, is);
            float m1 = dMin * KQuantScales.min(src, scales, is);
            float d2 = dAll * KQuantScales.scale(src, scales, is + 1);
            float m2 = dMin * KQuantScales.min(src, scales, is + 1);
            for (int l = 0; l < 32; l++) {
                dst[y++] = d1 * (u8(src, q + l) & 0x0F) - m1;
            }
            for (int l = 0; l < 32; l++) {
                dst[y++] = d2 * (u8(src, q + l) >>> 4) - m2;
            }
        }
    }
}
