package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * {@code block_q5_K} (ggml-common.h): f16 {@code d}, f16 {@code dmin}, 12 bytes scales/mins,
 * 32 bytes {@code qh} (fifth bits; 64-element group g uses bits 2g and 2g+1), 128 bytes {@code qs};
 * x = d * sc * q - dmin * m ({@code dequantize_row_q5_K}).
 */
final class Q5_KCodec extends AbstractBlockCodec {
    private static final int QK_K = 256;

    Q5_KCodec() {
        super(DType.Q5_K);
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float dAll = f16(src, off);
        float dMin = f16(src, off + 2);
        long scales = off + 4;
        long qh = off + 16;
        long ql = off + 48;
        int u1 = 1;
        int u2 = 2;
        int y = d;
        for (int j = 0, is = 0; j < QK_K; j += 64, is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
            float d1 = dAll * KQuantScales.scale(src, scales, is);
            float m1 = dMin * KQuantScales.min(src, scales, is);
            float d2 = dAll * KQuantScales.scale(src, scales, is + 1);
            float m2 = dMin * KQuantScales.min(src, scales, is + 1);
            for (int l = 0; l < 32; l++) {
                int h = (u8(src, qh + l) & u1) != 0 ? 16 : 0;
                dst[y++] = d1 * ((u8(src, ql + l) & 0x0F) + h) - m1;
            }
            for (int l = 0; l < 32; l++) {
                int h = (u8(src, qh + l) & u2) != 0 ? 16 : 0;
                dst[y++] = d2 * ((u8(src, ql + l) >>> 4) + h) - m2;
            }
        }
    }
}
