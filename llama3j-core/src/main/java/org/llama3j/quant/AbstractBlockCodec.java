package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.HalfFloats;

/**
 * Shared block loop and little-endian field access; subclasses decode (and optionally encode)
 * one block. ggml stores all multi-byte fields little-endian.
 */
abstract class AbstractBlockCodec implements BlockCodec {
    static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DType type;

    AbstractBlockCodec(DType type) {
        this.type = type;
    }

    @Override
    public final DType type() {
        return type;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int n) {
        int blocks = checkBlocks(n, dst.length, dstOffset);
        Objects.checkFromIndexSize(byteOffset, type.bytesFor(n), src.byteSize());
        int bs = type.blockSize();
        long bb = type.blockBytes();
        for (int b = 0; b < blocks; b++) {
            dequantizeBlock(src, byteOffset + b * bb, dst, dstOffset + b * bs);
        }
    }

    @Override
    public void quantize(float[] src, int srcOffset, int n, MemorySegment dst, long byteOffset) {
        if (!canQuantize()) {
            BlockCodec.super.quantize(src, srcOffset, n, dst, byteOffset);
        }
        int blocks = checkBlocks(n, src.length, srcOffset);
        Objects.checkFromIndexSize(byteOffset, type.bytesFor(n), dst.byteSize());
        int bs = type.blockSize();
        long bb = type.blockBytes();
        for (int b = 0; b < blocks; b++) {
            quantizeBlock(src, srcOffset + b * bs, dst, byteOffset + b * bb);
        }
    }

    private int checkBlocks(int n, int arrayLength, int arrayOffset) {
        if (n < 0 || n % type.blockSize() != 0) {
            throw new IllegalArgumentException(
                    n + " elements is not a whole number of " + type + " blocks of " + type.blockSize());
        }
        Objects.checkFromIndexSize(arrayOffset, n, arrayLength);
        return n / type.blockSize();
    }

    /** Decodes the block at {@code src[off..]} into {@code dst[d..d+blockSize)}. */
    abstract void dequantizeBlock(MemorySegment src, long off, float[] dst, int d);

    /** Encodes {@code src[s..s+blockSize)} into the block at {@code dst[off..]}. */
    void quantizeBlock(float[] src, int s, MemorySegment dst, long off) {
        throw new UnsupportedOperationException("llama3j has no quantizer for " + type);
    }

    static int u8(MemorySegment m, long off) {
        return m.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    static int i8(MemorySegment m, long off) {
        return m.get(ValueLayout.JAVA_BYTE, off);
    }

    static float f16(MemorySegment m, long off) {
        return HalfFloats.f16ToFloat(m.get(LE_SHORT, off));
    }

    static void putF16(MemorySegment m, long off, float v) {
        m.set(LE_SHORT, off, HalfFloats.floatToF16(v));
    }
}
