package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * {@code block_q6_K} (ggml-common.h): 128 bytes {@code ql} (low 4 bits), 64 bytes {@code qh}
 * (high 2 bits), 16 int8 {@code scales}, f16 {@code d}; x = d * scale * (q - 32)
 * ({@code dequantize_row_q6_K}). Each 128-element half uses 64 bytes of ql, 32 of qh, 8 scales.
 */
final class Q6_KCodec extends AbstractBlockCodec {
    private static final int QK_K = 256;

    Q6_KCodec() {
        super(DType.Q6_K);
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float dAll = f16(src, off + 208);
        long ql = off;
        long qh = off + 128;
        long sc = off + 192;
        for (int n = 0; n < QK_K; n += 128, ql += 64, qh += 32, sc += 8) {
            int y = d + n;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int lo0 = u8(src, ql + l);
                int lo1 = u8(src, ql + l + 32);
                int hi = u8(src, qh + l);
                int q1 = ((lo0 & 0x0F) | ((hi & 3) << 4)) - 32;
                int q2 = ((lo1 & 0x0F) | (((hi >>> 2) & 3) << 4)) - 32;
                int q3 = ((lo0 >>> 4) | (((hi >>> 4) & 3) << 4)) - 32;
                int q4 = ((lo1 >>> 4) | (((hi >>> 6) & 3) << 4)) - 32;
                dst[y + l] = dAll * i8(src, sc + is) * q1;
                dst[y + l + 32] = dAll * i8(src, sc + is + 2) * q2;
                dst[y + l + 64] = dAll * i8(src, sc + is + 4) * q3;
                dst[y + l + 96] = dAll * i8(src, sc + is + 6) * q4;
            }
        }
    }
}
