package org.llama3j.format.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyMetadataTypeRoundTrips() throws IOException {
        GgufWriter w = new GgufWriter()
                .put("u8", new GgufValue(GgufValueType.UINT8, 255))
                .put("i8", new GgufValue(GgufValueType.INT8, -128))
                .put("u16", new GgufValue(GgufValueType.UINT16, 65535))
                .put("i16", new GgufValue(GgufValueType.INT16, -32768))
                .putUInt32("u32", 0xFFFF_FFFFL)
                .putInt32("i32", Integer.MIN_VALUE)
                .putFloat32("f32", 1.5e-3f)
                .putBool("bool", true)
                .putString("str", "héllo ✓ 𝄞")
                .putUInt64("u64", -1L)
                .putInt64("i64", Long.MIN_VALUE)
                .putFloat64("f64", Math.PI)
                .putArray("a.u8", new GgufArray(GgufValueType.UINT8, new int[] {0, 7, 255}))
                .putArray("a.i16", new GgufArray(GgufValueType.INT16, new int[] {-3, 300}))
                .putArray("a.i8", new GgufArray(GgufValueType.INT8, new int[] {-128, 127}))
                .putArray("a.u16", new GgufArray(GgufValueType.UINT16, new int[] {65535, 1}))
                .putArray("a.i32", GgufArray.ofInt32(Integer.MIN_VALUE, 128256))
                .putArray("a.u64", new GgufArray(GgufValueType.UINT64, new long[] {-1L, 5}))
                .putArray("a.u32", new GgufArray(GgufValueType.UINT32, new long[] {4_000_000_000L}))
                .putArray("a.i64", new GgufArray(GgufValueType.INT64, new long[] {-1, 2}))
                .putArray("a.f32", GgufArray.ofFloat32(1f, -2.5f))
                .putArray("a.f64", new GgufArray(GgufValueType.FLOAT64, new double[] {0.1}))
                .putArray("a.bool", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false}))
                .putArray("a.str", GgufArray.ofStrings("a", "", "Ġthe", "\uFFFD is U+FFFD, not a decoding error"))
                .putArray("a.empty", GgufArray.ofInt32())
                .putArray("a.nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                        GgufArray.ofInt32(1, 2), GgufArray.ofStrings("x"),
                        new GgufArray(GgufValueType.ARRAY, new GgufArray[] {GgufArray.ofFloat32(3f)})}));
        Path p = dir.resolve("meta.gguf");
        w.write(p);
        try (GgufFile f = GgufReader.open(p)) {
            GgufMetadata m = f.metadata();
            assertEquals(3, f.version());
            assertEquals(32, f.alignment());
            assertEquals(List.of("u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "str", "u64", "i64", "f64",
                    "a.u8", "a.i16", "a.i8", "a.u16", "a.i32", "a.u64", "a.u32", "a.i64", "a.f32", "a.f64", "a.bool", "a.str", "a.empty", "a.nested"),
                    List.copyOf(m.keys()));
            assertEquals(255, m.getInt("u8"));
            assertEquals(-128, m.getInt("i8"));
            assertEquals(65535, m.getInt("u16"));
            assertEquals(-32768, m.getInt("i16"));
            assertEquals(0xFFFF_FFFFL, m.getLong("u32"));
            assertEquals(Integer.MIN_VALUE, m.getInt("i32"));
            assertEquals(1.5e-3f, m.getFloat("f32"));
            assertTrue(m.getBoolean("bool"));
            assertEquals("héllo ✓ 𝄞", m.getString("str"));
            assertEquals(new GgufValue(GgufValueType.UINT64, -1L), m.get("u64"));
            assertThrows(GgufFormatException.class, () -> m.getLong("u64"));
            assertEquals(Long.MIN_VALUE, m.getLong("i64"));
            assertEquals(Math.PI, (Double) m.get("f64").value());
            assertArrayEquals(new int[] {0, 7, 255}, m.getIntArray("a.u8"));
            assertArrayEquals(new int[] {-3, 300}, m.getIntArray("a.i16"));
            assertArrayEquals(new int[] {-128, 127}, m.getIntArray("a.i8"));
            assertArrayEquals(new int[] {65535, 1}, m.getIntArray("a.u16"));
            assertArrayEquals(new int[] {Integer.MIN_VALUE, 128256}, m.getIntArray("a.i32"));
            assertEquals(new GgufArray(GgufValueType.UINT64, new long[] {-1L, 5}), m.getArray("a.u64"));
            assertEquals(new GgufArray(GgufValueType.UINT32, new long[] {4_000_000_000L}), m.getArray("a.u32"));
            assertThrows(GgufFormatException.class, () -> m.getIntArray("a.u32"));
            assertArrayEquals(new int[] {-1, 2}, m.getIntArray("a.i64"));
            assertArrayEquals(new float[] {1f, -2.5f}, m.getFloatArray("a.f32"));
            assertArrayEquals(new float[] {0.1f}, m.getFloatArray("a.f64"));
            assertEquals(new GgufArray(GgufValueType.BOOL, new boolean[] {true, false}), m.getArray("a.bool"));
            assertArrayEquals(new String[] {"a", "", "Ġthe", "\uFFFD is U+FFFD, not a decoding error"}, m.getStringArray("a.str"));
            assertEquals(0, m.getArray("a.empty").size());
            GgufArray nested = m.getArray("a.nested");
            assertEquals(GgufValueType.ARRAY, nested.elementType());
            assertEquals(GgufArray.ofStrings("x"), ((GgufArray[]) nested.values())[1]);
            assertEquals(GgufArray.ofFloat32(3f), ((GgufArray[]) ((GgufArray[]) nested.values())[2].values())[0]);
            // wrong types and missing keys say what is wrong
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> m.getString("u8"));
            assertEquals("meta.gguf: metadata 'u8' is UINT8, expected STRING", e.getMessage());
            e = assertThrows(GgufFormatException.class, () -> m.getInt("nope"));
            assertEquals("meta.gguf: missing metadata key 'nope'", e.getMessage());
            assertFalse(m.optString("nope").isPresent());
            assertEquals(255, m.optInt("u8").getAsInt());
            assertEquals(0, f.tensorInfos().size());
        }
    }

    @Test
    void everyTensorTypeRoundTrips() throws IOException {
        Random r = new Random(3);
        float[] x = new float[512 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        GgufWriter w = new GgufWriter().putString("general.architecture", "llama");
        DType[] encoded = {DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0};
        for (DType t : encoded) {
            w.addTensor("enc." + t, new long[] {512, 2}, x, t);
        }
        byte[][] raws = new byte[DType.values().length][];
        for (DType t : DType.values()) {
            byte[] raw = new byte[(int) t.bytesFor(t.blockSize() * 3L)];
            r.nextBytes(raw);
            raws[t.ordinal()] = raw;
            w.addTensor("raw." + t, t, new long[] {t.blockSize(), 3}, MemorySegment.ofArray(raw));
        }
        Path p = dir.resolve("tensors.gguf");
        w.write(p);
        try (GgufFile f = GgufReader.open(p)) {
            assertEquals(encoded.length + DType.values().length, f.tensors().size());
            for (DType t : encoded) {
                Tensor tensor = f.tensor("enc." + t);
                assertEquals(t, tensor.type());
                assertArrayEquals(new long[] {512, 2}, tensor.shape());
                byte[] expected = BlockCodecs.quantize(x, t).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(expected, tensor.data().toArray(ValueLayout.JAVA_BYTE), t.toString());
                assertEquals(0, (f.dataOffset() + f.findTensorInfo("enc." + t).orElseThrow().offset()) % 32);
            }
            for (DType t : DType.values()) {
                Tensor tensor = f.tensor("raw." + t);
                assertEquals(t, tensor.type());
                assertArrayEquals(raws[t.ordinal()], tensor.data().toArray(ValueLayout.JAVA_BYTE), t.toString());
            }
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> f.tensor("missing"));
            assertEquals("tensors.gguf: no tensor named 'missing'", e.getMessage());
        }
    }

    @Test
    void customAlignmentAndFileLayout() throws IOException {
        Path p = dir.resolve("aligned.gguf");
        new GgufWriter().alignment(64)
                .addTensor("a", new long[] {3}, new float[] {1, 2, 3}, DType.F32)
                .addTensor("b", new long[] {1}, new float[] {4}, DType.F32)
                .write(p);
        byte[] bytes = Files.readAllBytes(p);
        // magic, version 3, 2 tensors, 1 key
        assertArrayEquals(new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
                java.util.Arrays.copyOf(bytes, 24));
        try (GgufFile f = GgufReader.open(p)) {
            assertEquals(64, f.alignment());
            assertEquals(0, f.dataOffset() % 64);
            assertEquals(64, f.findTensorInfo("b").orElseThrow().offset());
            assertEquals(f.dataOffset() + 128, bytes.length);
            assertArrayEquals(new float[] {4}, BlockCodecs.dequantize(f.tensor("b")));
        }
        assertEquals(List.of(p), Files.list(dir).toList(), "no temp files left behind");
    }

    @Test
    void writerRejectsBadTensors() {
        GgufWriter w = new GgufWriter();
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", new long[] {33}, new float[33], DType.Q8_0));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", new long[] {256}, new float[256], DType.Q6_K));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", new long[] {4}, new float[3], DType.F32));
        w.addTensor("q", new long[] {4}, new float[4], DType.F32);
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", new long[] {4}, new float[4], DType.F32));
        assertThrows(IllegalArgumentException.class, () -> w.putString("k", "v").putString("k", "w"));
        assertThrows(IllegalArgumentException.class, () -> new GgufValue(GgufValueType.UINT8, 256));
    }
}
