package org.llama3j.quant;

import java.lang.foreign.MemorySegment;
import org.llama3j.tensor.DType;

/**
 * Converts between floats and one ggml storage type, a whole number of blocks at a time.
 * One implementation per {@link DType}; get one with {@link BlockCodecs#of(DType)}.
 *
 * <p>Counts {@code n} are in elements and must be a multiple of {@code type().blockSize()}.
 */
public interface BlockCodec {

    DType type();

    /** Decodes {@code n} elements stored at {@code src[byteOffset..]} into {@code dst[dstOffset..]}. */
    void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int n);

    /** Whether {@link #quantize} is implemented for this type. */
    default boolean canQuantize() {
        return false;
    }

    /**
     * Encodes {@code n} floats from {@code src[srcOffset..]} into {@code dst[byteOffset..]}, taking
     * {@code type().bytesFor(n)} bytes.
     *
     * @throws UnsupportedOperationException if this type has no quantizer ({@link #canQuantize()})
     */
    default void quantize(float[] src, int srcOffset, int n, MemorySegment dst, long byteOffset) {
        throw new UnsupportedOperationException("llama3j has no quantizer for " + type());
    }
}
