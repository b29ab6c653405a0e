package org.llama3j.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A named n-dimensional tensor whose elements live in a {@link MemorySegment}: a region of a
 * memory-mapped model file, or a heap/off-heap buffer.
 *
 * <p>Shapes follow ggml's order: {@code shape[0]} is the innermost (contiguous) dimension, so a
 * weight matrix {@code W} of a linear layer {@code y = W x} with {@code x} of length {@code in}
 * and {@code y} of length {@code out} has shape {@code [in, out]}: {@code out} rows of {@code in}
 * elements each. Rows of a quantized tensor are whole blocks.
 */
public record Tensor(String name, DType type, long[] shape, MemorySegment data) {

    public Tensor {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor " + name + ": dimension " + d + " in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        long need = type.bytesFor(n);
        if (data.byteSize() < need) {
            throw new IllegalArgumentException("tensor " + name + ": " + Arrays.toString(shape) + " " + type
                    + " needs " + need + " bytes, has " + data.byteSize());
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    /** Total number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Elements per row: {@code shape[0]}. */
    public int rowLength() {
        return Math.toIntExact(shape[0]);
    }

    /** Number of rows: the product of all dimensions but the first. */
    public int rows() {
        return Math.toIntExact(elementCount() / shape[0]);
    }

    /** Bytes in one row. */
    public long rowBytes() {
        return type.bytesFor(shape[0]);
    }

    /** Bytes taken by the whole tensor. */
    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + type + " " + Arrays.toString(shape) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
