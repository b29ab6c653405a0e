package org.llama3j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.Llama;
import org.llama3j.format.safetensors.SafetensorsFile;
import org.llama3j.format.safetensors.SafetensorsFormatException;
import org.llama3j.format.safetensors.SafetensorsReader;
import org.llama3j.format.safetensors.SafetensorsTensorInfo;

/** Broken HF checkpoints fail with a message naming the file, tensor or field and the problem. */
class SafetensorsModelLoaderValidationTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path dir;

    /** A copy of the f32-untied golden checkpoint (dim 48, 4 heads, 2 kv heads, ffn 96, vocab 256). */
    @BeforeEach
    void copyGolden() throws Exception {
        dir = tmp.resolve("ckpt");
        Files.createDirectories(dir);
        Path src = HfGoldenTest.dir("f32-untied-llama3rope");
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
    }

    /** The directory, its config.json or its weights file all name the checkpoint. */
    @Test
    void theGoldenCopyLoadsByAnyOfItsPaths() throws Exception {
        for (Path p : new Path[] {dir, dir.resolve("config.json"), dir.resolve("model.safetensors")}) {
            assertTrue(SafetensorsModelLoader.isCheckpoint(p), p.toString());
            try (var c = SafetensorsModelLoader.open(p)) {
                assertEquals(48, c.model().config().dim());
                assertEquals(dir.toAbsolutePath(), c.directory());
            }
        }
        assertFalse(SafetensorsModelLoader.isCheckpoint(dir.resolve("model.gguf")));
    }

    @Test
    void missingConfig() throws Exception {
        Files.delete(dir.resolve("config.json"));
        assertEquals(dir.toAbsolutePath() + ": no config.json (not a Hugging Face checkpoint directory?)", error());
    }

    @Test
    void missingWeights() throws Exception {
        Files.delete(dir.resolve("model.safetensors"));
        assertEquals(dir.toAbsolutePath() + ": no model.safetensors or model.safetensors.index.json"
                + " (llama3j reads safetensors weights, not .bin/.pth)", error());
    }

    @Test
    void headsDoNotDivideDim() throws Exception {
        editConfig(c -> {
            c.put("num_attention_heads", 5);
            c.put("num_key_value_heads", 5);
            c.remove("head_dim");
        });
        assertEquals(dir.toAbsolutePath() + "/config.json: hidden_size 48 is not divisible by num_attention_heads 5"
                + " and no head_dim is given", error());
    }

    @Test
    void kvHeadsDoNotDivideHeads() throws Exception {
        editConfig(c -> c.put("num_key_value_heads", 3));
        assertEquals(dir.toAbsolutePath() + "/config.json: num_attention_heads 4 is not a multiple of"
                + " num_key_value_heads 3", error());
    }

    @Test
    void unsupportedRopeScaling() throws Exception {
        editConfig(c -> c.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 4.0));
        assertEquals(dir.toAbsolutePath() + "/config.json: rope_scaling type 'yarn' is not supported"
                + " (llama3j implements 'llama3' scaling, or none)", error());
    }

    @Test
    void missingTensor() throws Exception {
        rewriteWeights(t -> t.remove("model.layers.1.mlp.up_proj.weight"));
        assertEquals(dir.toAbsolutePath() + ": missing tensor 'model.layers.1.mlp.up_proj.weight'"
                + " (not in model.safetensors)", error());
    }

    @Test
    void shapeMismatch() throws Exception {
        editConfig(c -> c.put("intermediate_size", 100));
        assertEquals(dir.toAbsolutePath() + "/model.safetensors: tensor 'model.layers.0.mlp.gate_proj.weight'"
                + " has shape [96, 48], expected [100, 48] from config.json", error());
    }

    @Test
    void vocabularyMismatch() throws Exception {
        editConfig(c -> c.put("vocab_size", 300));
        assertEquals(dir.toAbsolutePath() + "/model.safetensors: tensor 'model.embed_tokens.weight'"
                + " has shape [256, 48], expected [300, 48] from config.json", error());
    }

    @Test
    void unsupportedDtype() throws Exception {
        rewriteWeights(t -> t.put("model.norm.weight", new Raw("I32", new long[] {48}, new byte[48 * 4])));
        assertEquals(dir.toAbsolutePath() + "/model.safetensors: tensor 'model.norm.weight' has dtype I32;"
                + " llama3j loads F32, F16 and BF16 weights", error());
    }

    @Test
    void moreLayersThanConfigSays() throws Exception {
        editConfig(c -> c.put("num_hidden_layers", 1));
        String m = error();
        assertTrue(m.startsWith(dir.toAbsolutePath() + "/model.safetensors: tensor 'model.layers.1."), m);
        assertTrue(m.endsWith("' belongs to a layer beyond num_hidden_layers = 1 in config.json"), m);
    }

    @Test
    void biasesAreRefused() throws Exception {
        rewriteWeights(t -> t.put("model.layers.0.self_attn.q_proj.bias", new Raw("F32", new long[] {48}, new byte[48 * 4])));
        assertEquals(dir.toAbsolutePath() + "/model.safetensors: tensor 'model.layers.0.self_attn.q_proj.bias' is a bias;"
                + " llama3j runs Llama models without biases (attention_bias/mlp_bias false)", error());
    }

    @Test
    void truncatedSafetensors() throws Exception {
        Path st = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        Files.write(st, java.util.Arrays.copyOf(all, all.length - 1000));
        var e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsModelLoader.open(dir));
        assertTrue(e.getMessage().startsWith("model.safetensors: tensor data runs past end of file"), e.getMessage());
    }

    @Test
    void llamaLoadNeedsTokenizerJson() throws Exception {
        var e = assertThrows(ModelFormatException.class, () -> Llama.load(dir));
        assertEquals(dir.toAbsolutePath() + ": no tokenizer.json (llama3j reads the Hugging Face tokenizer file)",
                e.getMessage());
    }

    private String error() {
        return assertThrows(ModelFormatException.class, () -> SafetensorsModelLoader.open(dir).close()).getMessage();
    }

    private void editConfig(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode c = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        edit.accept(c);
        Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(c));
    }

    /** A tensor as written: safetensors dtype name, HF shape, raw bytes. */
    record Raw(String dtype, long[] shape, byte[] bytes) {
    }

    /** Rewrites model.safetensors after editing its tensors (by hand, so any dtype can be written). */
    private void rewriteWeights(Consumer<Map<String, Raw>> edit) throws IOException {
        Path st = dir.resolve("model.safetensors");
        Map<String, Raw> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsReader.open(st)) {
            for (SafetensorsTensorInfo info : f.tensorInfos()) {
                byte[] b = f.tensor(info.name()).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                tensors.put(info.name(), new Raw(info.type().name(), info.hfShape(), b));
            }
        }
        edit.accept(tensors);
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (var e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype());
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + e.getValue().bytes().length);
            offset += e.getValue().bytes().length;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        tensors.values().forEach(r -> out.put(r.bytes()));
        Files.write(st, out.array());
    }
}
