package org.llama3j.format.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;

/**
 * Against a file written by llama.cpp's gguf-py GGUFWriter (scripts/oracle/gguf_golden.py): we read
 * every value it wrote, and our writer, given the same inputs, produces the same bytes — including
 * the Q8_0/Q4_0/BF16/F16 encodings of the float inputs.
 */
class GgufGoldenTest {
    @TempDir
    Path dir;

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(GgufGoldenTest.class.getResource("/gguf-golden/" + name).toURI());
    }

    private static float[] inputs() throws Exception {
        byte[] b = Files.readAllBytes(golden("inputs.f32"));
        float[] x = new float[b.length / 4];
        MemorySegment.copy(MemorySegment.ofArray(b), ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                0, x, 0, x.length);
        return x;
    }

    @Test
    void readsGgufPyFile() throws Exception {
        try (GgufFile f = GgufReader.open(golden("reference.gguf"))) {
            GgufMetadata m = f.metadata();
            assertEquals("llama", m.getString("general.architecture"));
            assertEquals(200, m.getInt("k.u8"));
            assertEquals(-100, m.getInt("k.i8"));
            assertEquals(60000, m.getInt("k.u16"));
            assertEquals(-30000, m.getInt("k.i16"));
            assertEquals(4_000_000_000L, m.getLong("k.u32"));
            assertEquals(-2_000_000_000, m.getInt("k.i32"));
            assertEquals(0.1f, m.getFloat("k.f32"));
            assertTrue(m.getBoolean("k.bool"));
            assertEquals("Llama 3 ✓", m.getString("k.str"));
            assertEquals(new GgufValue(GgufValueType.UINT64, Long.MIN_VALUE + 5), m.get("k.u64"));
            assertEquals(-(1L << 40), m.getLong("k.i64"));
            assertEquals(2.718281828459045, (Double) m.get("k.f64").value());
            assertArrayEquals(new String[] {"Ġthe", "<|eot_id|>", ""}, m.getStringArray("a.str"));
            assertArrayEquals(new int[] {1, -2, 3}, m.getIntArray("a.i32"));
            assertArrayEquals(new float[] {0.5f, -1.25f}, m.getFloatArray("a.f32"));
            assertEquals(new GgufArray(GgufValueType.UINT8, new int[] {0, 255}), m.getArray("a.u8"));
            assertEquals(new GgufArray(GgufValueType.BOOL, new boolean[] {true, false, true}), m.getArray("a.bool"));
            assertEquals(new GgufArray(GgufValueType.ARRAY, new GgufArray[] {GgufArray.ofInt32(1, 2), GgufArray.ofInt32(3)}),
                    m.getArray("a.nested"));
            assertEquals(List.of("t.f32", "t.f16", "t.bf16", "t.q8_0", "t.q4_0", "t.q4_k"),
                    f.tensorInfos().stream().map(GgufTensorInfo::name).toList());
            float[] x = inputs();
            assertArrayEquals(new long[] {256, 4}, f.tensor("t.q8_0").shape());
            assertArrayEquals(x, BlockCodecs.dequantize(f.tensor("t.f32")));
            float[] q8 = BlockCodecs.dequantize(f.tensor("t.q8_0"));
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], q8[i], 0.03f, "Q8_0 element " + i);
            }
            assertArrayEquals(new long[] {256, 2}, f.tensor("t.q4_k").shape());
        }
    }

    @Test
    void ourWriterReproducesGgufPyBytes() throws Exception {
        float[] x = inputs();
        long[] shape = {256, 4};
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "llama")
                .put("k.u8", new GgufValue(GgufValueType.UINT8, 200))
                .put("k.i8", new GgufValue(GgufValueType.INT8, -100))
                .put("k.u16", new GgufValue(GgufValueType.UINT16, 60000))
                .put("k.i16", new GgufValue(GgufValueType.INT16, -30000))
                .putUInt32("k.u32", 4_000_000_000L)
                .putInt32("k.i32", -2_000_000_000)
                .putFloat32("k.f32", 0.1f)
                .putBool("k.bool", true)
                .putString("k.str", "Llama 3 ✓")
                .putUInt64("k.u64", Long.MIN_VALUE + 5)
                .putInt64("k.i64", -(1L << 40))
                .putFloat64("k.f64", 2.718281828459045)
                .putArray("a.str", GgufArray.ofStrings("Ġthe", "<|eot_id|>", ""))
                .putArray("a.i32", GgufArray.ofInt32(1, -2, 3))
                .putArray("a.f32", GgufArray.ofFloat32(0.5f, -1.25f))
                .putArray("a.u8", new GgufArray(GgufValueType.UINT8, new int[] {0, 255}))
                .putArray("a.bool", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false, true}))
                .putArray("a.nested", new GgufArray(GgufValueType.ARRAY,
                        new GgufArray[] {GgufArray.ofInt32(1, 2), GgufArray.ofInt32(3)}))
                .addTensor("t.f32", shape, x, DType.F32)
                .addTensor("t.f16", shape, x, DType.F16)
                .addTensor("t.bf16", shape, x, DType.BF16)
                .addTensor("t.q8_0", shape, x, DType.Q8_0)
                .addTensor("t.q4_0", shape, x, DType.Q4_0)
                .addTensor("t.q4_k", DType.Q4_K, new long[] {256, 2},
                        MemorySegment.ofArray(Files.readAllBytes(golden("q4k.blocks"))));
        Path p = dir.resolve("ours.gguf");
        w.write(p);
        assertArrayEquals(Files.readAllBytes(golden("reference.gguf")), Files.readAllBytes(p));
    }
}
