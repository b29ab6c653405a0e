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

    /** Bulk copy: one element per "block" would make the shared block loop needlessly slow. */
    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int n) {
        java.util.Objects.checkFromIndexSize(dstOffset, n, dst.length);
        MemorySegment.copy(src, LE_FLOAT, byteOffset, dst, dstOffset, n);
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment dst, long byteOffset) {
        java.util.Objects.checkFromIndexSize(srcOffset, n, src.length);
        MemorySegment.copy(src, srcOffset, dst, LE_FLOAT, byteOffset, n);
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
