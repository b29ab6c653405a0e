package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.HalfFloats;

/** bfloat16, rounded as ggml's {@code ggml_compute_fp32_to_bf16} (see {@link HalfFloats#floatToBf16}). */
final class Bf16Codec extends AbstractBlockCodec {
    Bf16Codec() {
        super(DType.BF16);
    }

    @Override
    public boolean canQuantize() {
        return true;
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        dst[d] = HalfFloats.bf16ToFloat(src.get(LE_SHORT, off));
    }

    @Override
    void quantizeBlock(float[] src, int s, MemorySegment dst, long off) {
        dst.set(LE_SHORT, off, HalfFloats.floatToBf16(src[s]));
    }
}
