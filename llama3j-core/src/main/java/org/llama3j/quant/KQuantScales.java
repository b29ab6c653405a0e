package org.llama3j.quant;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte packed scales of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit minimums
 * ({@code get_scale_min_k4} in ggml-quants.c).
 */
final class KQuantScales {
    private KQuantScales() {
    }

    /** Scale of sub-block {@code j} (0..7) of the scales starting at {@code q}. */
    static int scale(MemorySegment m, long q, int j) {
        if (j < 4) {
            return AbstractBlockCodec.u8(m, q + j) & 63;
        }
        return (AbstractBlockCodec.u8(m, q + j + 4) & 0x0F) | ((AbstractBlockCodec.u8(m, q + j - 4) >>> 6) << 4);
    }

    /** Minimum of sub-block {@code j} (0..7). */
    static int min(MemorySegment m, long q, int j) {
        if (j < 4) {
            return AbstractBlockCodec.u8(m, q + j + 4) & 63;
        }
        return (AbstractBlockCodec.u8(m, q + j + 4) >>> 4) | ((AbstractBlockCodec.u8(m, q + j) >>> 6) << 4);
    }
}
