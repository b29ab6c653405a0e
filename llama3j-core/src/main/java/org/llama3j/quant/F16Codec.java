package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/** IEEE binary16, rounded to nearest even on the way in (as ggml's {@code ggml_fp32_to_fp16_row}). */
final class F16Codec extends AbstractBlockCodec {
    F16Codec() {
        super(DType.F16);
    }

    @Override
    public boolean canQuantize() {
        return true;
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        dst[d] = f16(src, off);
    }

    @Override
    void quantizeBlock(float[] src, int s, MemorySegment dst, long off) {
        putF16(dst, off, src[s]);
    }
}
