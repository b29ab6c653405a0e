package org.llama3j.tensor;

/**
 * Element types a weight tensor can have. Ids, block sizes and block byte sizes are those of
 * ggml ({@code ggml.h} {@code enum ggml_type} and {@code ggml.c} {@code type_traits}), so a GGUF
 * tensor's type field maps to one constant here.
 *
 * <p>A quantized type stores elements in blocks: {@link #blockSize()} elements take
 * {@link #blockBytes()} bytes. Plain types have block size 1.
 */
public enum DType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),   // f16 scale + 16 bytes of 4-bit values
    Q4_1(3, 32, 20),   // f16 scale + f16 min + 16 bytes
    Q5_0(6, 32, 22),   // f16 scale + 4 bytes high bits + 16 bytes
    Q5_1(7, 32, 24),   // f16 scale + f16 min + 4 bytes high bits + 16 bytes
    Q8_0(8, 32, 34),   // f16 scale + 32 int8
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144), // f16 d + f16 dmin + 12 bytes scales + 128 bytes
    Q5_K(13, 256, 176), // f16 d + f16 dmin + 12 bytes scales + 32 bytes high bits + 128 bytes
    Q6_K(14, 256, 210), // 128 bytes low + 64 bytes high + 16 int8 scales + f16 d
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    BF16(30, 1, 2);

    private final int ggmlId;
    private final int blockSize;
    private final int blockBytes;

    DType(int ggmlId, int blockSize, int blockBytes) {
        this.ggmlId = ggmlId;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** The type id ggml and GGUF use for this type. */
    public int ggmlId() {
        return ggmlId;
    }

    /** Elements per block (1 for plain types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    /**
     * Bytes taken by {@code elements} elements of this type.
     *
     * @throws IllegalArgumentException if the count is not a whole number of blocks or overflows
     */
    public long bytesFor(long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("negative element count " + elements);
        }
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    elements + " elements is not a multiple of the " + name() + " block size " + blockSize);
        }
        return Math.multiplyExact(elements / blockSize, (long) blockBytes);
    }

    /** The type with the given ggml id, or {@code null} if llama3j does not know it. */
    public static DType fromGgmlId(int id) {
        for (DType t : values()) {
            if (t.ggmlId == id) {
                return t;
            }
        }
        return null;
    }
}
