package org.llama3j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llama3j.tensor.DType;

/**
 * Compares the codecs with golden blocks produced by the gguf package's numpy port of
 * ggml-quants.c (scripts/oracle/quant_golden.py; scripts/oracle/check-quant.sh guards drift).
 */
class GoldenBlocksTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0",
            "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void dequantizeMatchesGguf(DType type) throws IOException {
        byte[] blocks = resource("dequant-" + type + ".blocks");
        float[] expected = floats(resource("dequant-" + type + ".f32"));
        assertEquals(type.bytesFor(expected.length), blocks.length, "golden file sizes");
        float[] actual = new float[expected.length + 3];
        BlockCodecs.of(type).dequantize(MemorySegment.ofArray(blocks), 0, actual, 3, expected.length);
        for (int i = 0; i < expected.length; i++) {
            // numpy may associate the float products differently; allow one rounding step.
            float tol = Math.ulp(Math.abs(expected[i])) * 2;
            assertEquals(expected[i], actual[i + 3], tol, type + " element " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F16", "BF16", "Q4_0", "Q8_0"})
    void quantizeIsBitExactWithGguf(DType type) throws IOException {
        float[] input = floats(resource("quant-" + type + ".f32"));
        byte[] expected = resource("quant-" + type + ".bin");
        byte[] actual = new byte[expected.length];
        BlockCodecs.of(type).quantize(input, 0, input.length, MemorySegment.ofArray(actual), 0);
        assertArrayEquals(expected, actual, type + " bytes");
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenBlocksTest.class.getResourceAsStream("/quant-golden/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource quant-golden/" + name);
            }
            return in.readAllBytes();
        }
    }

    static float[] floats(byte[] bytes) {
        MemorySegment m = MemorySegment.ofArray(bytes);
        float[] out = new float[bytes.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = m.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i);
        }
        return out;
    }
}
