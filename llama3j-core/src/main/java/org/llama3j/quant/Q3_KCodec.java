package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * {@code block_q3_K} (ggml-common.h): 32 bytes {@code hmask} (high bits), 64 bytes {@code qs}
 * (low 2 bits), 12 bytes packing sixteen 6-bit scales, f16 {@code d};
 * x = d * (scale - 32) * (q - (high bit set ? 0 : 4)) ({@code dequantize_row_q3_K}).
 */
final class Q3_KCodec extends AbstractBlockCodec {
    private static final int QK_K = 256;

    Q3_KCodec() {
        super(DType.Q3_K);
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        long hm = off;
        long q = off + 32;
        long scales = off + 96;
        float dAll = f16(src, off + 108);
        int m = 1;
        int is = 0;
        int y = d;
        for (int n = 0; n < QK_K; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; half++) {
                    float dl = dAll * (scale(src, scales, is++) - 32);
                    for (int l = 0; l < 16; l++) {
                        int k = 16 * half + l;
                        int low = (u8(src, q + k) >>> shift) & 3;
                        int high = (u8(src, hm + k) & m) != 0 ? 0 : 4;
                        dst[y++] = dl * (low - high);
                    }
                }
                m <<= 1;
            }
            q += 32;
        }
    }

    /** Scale j (0..15): low 4 bits from bytes 0..7 (low then high nibbles), high 2 bits from bytes 8..11. */
    private static int scale(MemorySegment src, long scales, int j) {
        int low = j < 8 ? u8(src, scales + j) & 0x0F : u8(src, scales + j - 8) >>> 4;
        int high = (u8(src, scales + 8 + (j & 3)) >>> (2 * (j >>> 2))) & 3;
        return low | (high << 4);
    }
}
