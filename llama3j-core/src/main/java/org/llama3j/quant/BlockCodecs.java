package org.llama3j.quant;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/** The codec for each storage type, and whole-tensor conveniences. */
public final class BlockCodecs {
    private static final Map<DType, BlockCodec> CODECS = new EnumMap<>(DType.class);

    static {
        for (BlockCodec c : new BlockCodec[] {
                new F32Codec(), new F16Codec(), new Bf16Codec(),
                new Q4_0Codec(), new Q4_1Codec(), new Q5_0Codec(), new Q5_1Codec(), new Q8_0Codec(),
                new Q2_KCodec(), new Q3_KCodec(), new Q4_KCodec(), new Q5_KCodec(), new Q6_KCodec()}) {
            CODECS.put(c.type(), c);
        }
    }

    private BlockCodecs() {
    }

    /**
     * The codec for {@code type}.
     *
     * @throws UnsupportedOperationException for types without a float codec (the integer types, F64)
     */
    public static BlockCodec of(DType type) {
        BlockCodec c = CODECS.get(type);
        if (c == null) {
            throw new UnsupportedOperationException("llama3j has no float codec for " + type);
        }
        return c;
    }

    /** Whether {@link #of} has a codec for {@code type}. */
    public static boolean supports(DType type) {
        return CODECS.containsKey(type);
    }

    /** All elements of {@code tensor} as floats (the tensor must have fewer than 2^31 elements). */
    public static float[] dequantize(Tensor tensor) {
        long n = tensor.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(tensor + " has too many elements (" + n + ") for one float[]");
        }
        float[] out = new float[(int) n];
        of(tensor.type()).dequantize(tensor.data(), 0, out, 0, (int) n);
        return out;
    }

    /** Row {@code row} of {@code tensor} (rows are {@code shape[0]} elements) into {@code dst[0..rowLength)}. */
    public static void dequantizeRow(Tensor tensor, int row, float[] dst) {
        of(tensor.type()).dequantize(tensor.data(), row * tensor.rowBytes(), dst, 0, tensor.rowLength());
    }

    /**
     * {@code src} encoded as {@code type}, in a new native segment (freed with it): not a heap one,
     * so that kernels only ever load from one segment class ({@link org.llama3j.tensor.MappedFiles}).
     */
    public static MemorySegment quantize(float[] src, DType type) {
        MemorySegment out = Arena.ofAuto().allocate(type.bytesFor(src.length), 64);
        of(type).quantize(src, 0, src.length, out, 0);
        return out;
    }
}
