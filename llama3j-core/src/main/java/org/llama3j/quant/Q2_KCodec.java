package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * {@code block_q2_K} (ggml-common.h): 16 bytes {@code scales} (low nibble scale, high nibble min
 * per 16 elements), 64 bytes {@code qs} of 2-bit values, f16 {@code d}, f16 {@code dmin};
 * x = d * sc * q - dmin * m ({@code dequantize_row_q2_K}). Each 128-element half reads 32 bytes of
 * {@code qs} four times, at bit shifts 0, 2, 4, 6.
 */
final class Q2_KCodec extends AbstractBlockCodec {
    private static final int QK_K = 256;

    Q2_KCodec() {
        super(DType.Q2_K);
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        float dAll = f16(src, off + 80);
        float dMin = f16(src, off + 82);
        long q = off + 16;
        int is = 0;
        int y = d;
        for (int n = 0; n < QK_K; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; half++) {
                    int sc = u8(src, off + is++);
                    float dl = dAll * (sc & 0x0F);
                    float ml = dMin * (sc >>> 4);
                    for (int l = 0; l < 16; l++) {
                        dst[y++] = dl * ((u8(src, q + 16 * half + l) >>> shift) & 3) - ml;
                    }
                }
            }
            q += 32;
        }
    }
}
