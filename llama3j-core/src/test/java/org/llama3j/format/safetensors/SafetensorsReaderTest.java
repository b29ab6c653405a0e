package org.llama3j.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/** Reads files written by the reference safetensors package (scripts/oracle/safetensors_golden.py). */
class SafetensorsReaderTest {

    static Path golden(String name) throws URISyntaxException {
        return Path.of(SafetensorsReaderTest.class.getResource("/safetensors-golden/" + name).toURI());
    }

    @Test
    void singleFileShapesReversedIntoGgmlOrder() throws Exception {
        try (SafetensorsFile f = SafetensorsReader.open(golden("single.safetensors"))) {
            assertEquals(Map.of("format", "pt", "note", "golden"), f.metadata());
            assertEquals(List.of("ids", "d", "w", "h"), f.tensorInfos().stream().map(SafetensorsTensorInfo::name).toList());
            Tensor w = f.tensor("w");
            assertEquals(DType.F32, w.type());
            assertArrayEquals(new long[] {3, 2}, w.shape()); // HF [2, 3] -> ggml [3, 2]
            assertArrayEquals(new long[] {2, 3}, f.findTensorInfo("w").orElseThrow().hfShape());
            assertEquals(3, w.rowLength());
            assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, BlockCodecs.dequantize(w));
            Tensor h = f.tensor("h");
            assertArrayEquals(new long[] {2, 3}, h.shape());
            assertArrayEquals(new float[] {1.5f, -2f, 65504f, 0.000061035156f, 0f, -0f}, BlockCodecs.dequantize(h));
            Tensor ids = f.tensor("ids");
            assertEquals(DType.I64, ids.type());
            assertEquals(-9L, ids.data().get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
            Tensor d = f.tensor("d");
            assertArrayEquals(new long[] {1}, d.shape());
            assertEquals(3.25, d.data().get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
            assertEquals(4, f.tensors().size());
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> f.tensor("x"));
            assertEquals("single.safetensors: no tensor named 'x'", e.getMessage());
        }
    }

    @Test
    void shardedModelViaIndex() throws Exception {
        Path dir = golden("sharded/model.safetensors.index.json").getParent();
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertEquals(List.of("lm_head.weight", "model.embed_tokens.weight", "model.norm.weight"), m.tensorNames());
            assertEquals(2, m.files().size());
            Tensor emb = m.tensor("model.embed_tokens.weight");
            assertArrayEquals(new long[] {2, 4}, emb.shape());
            float[] v = BlockCodecs.dequantize(emb);
            assertEquals(-1f, v[0]);
            assertEquals(1f, v[7]);
            assertArrayEquals(new float[] {1f, 2f}, BlockCodecs.dequantize(m.tensor("model.norm.weight")));
            Tensor head = m.tensor("lm_head.weight");
            assertEquals(DType.F16, head.type());
            assertEquals(1.75f, BlockCodecs.dequantize(head)[6]);
        }
    }

    @Test
    void writerRoundTripsAndAtomicallyReplaces(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        float[] x = {1f, -2f, 3.5f, 1e-3f, 7f, 0.1f};
        Path p = dir.resolve("out.safetensors");
        new SafetensorsWriter().putMetadata("format", "pt")
                .addTensor("a", new long[] {3, 2}, x, DType.F32)
                .addTensor("b", new long[] {6}, x, DType.BF16)
                .addTensor("c", new long[] {2, 3}, x, DType.F16)
                .write(p);
        new SafetensorsWriter().addTensor("z", new long[] {1}, new float[] {9f}, DType.F32).write(p.resolveSibling("z.safetensors"));
        try (SafetensorsFile f = SafetensorsReader.open(p)) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertArrayEquals(new long[] {2, 3}, f.findTensorInfo("a").orElseThrow().hfShape());
            assertArrayEquals(new long[] {3, 2}, f.tensor("a").shape());
            assertArrayEquals(x, BlockCodecs.dequantize(f.tensor("a")));
            float[] bf = BlockCodecs.dequantize(f.tensor("b"));
            assertEquals(0.1f, bf[5], 0.1f / 128);
            assertEquals(3.5f, bf[2]);
            assertEquals(0.1f, BlockCodecs.dequantize(f.tensor("c"))[5], 0.1f / 1024);
            assertEquals(0, f.tensorInfos().get(0).begin());
            // copy through a Tensor keeps bytes and shape
            Path q = dir.resolve("copy.safetensors");
            new SafetensorsWriter().addTensor(f.tensor("c")).write(q);
            try (SafetensorsFile g = SafetensorsReader.open(q)) {
                assertArrayEquals(f.tensor("c").data().toArray(ValueLayout.JAVA_BYTE),
                        g.tensor("c").data().toArray(ValueLayout.JAVA_BYTE));
                assertArrayEquals(new long[] {3, 2}, g.findTensorInfo("c").orElseThrow().hfShape());
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsWriter().addTensor("q", new long[] {32}, new float[32], DType.Q8_0));
    }
}
