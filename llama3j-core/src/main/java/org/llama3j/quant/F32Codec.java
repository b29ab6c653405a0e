package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/** Plain little-endian IEEE float32. */
final class F32Codec extends AbstractBlockCodec {
    F32Codec() {
        super(DType.F32);
    }

    @Override
    public boolean canQuantize() {
        return true;
    }

    @Override
    void dequantizeBlock(MemorySegment src, long off, float[] dst, int d) {
        dst[d] = src.get(LE_FLOAT, off);
    }

    @Override
    void quantizeBlock(float[] src, int s, MemorySegment dst, long off) {
        dst.set(LE_FLOAT, off, src[s]);
    }
}
