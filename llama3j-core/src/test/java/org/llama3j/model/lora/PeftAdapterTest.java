package org.llama3j.model.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.format.hf.RopePermutation;
import org.llama3j.format.safetensors.SafetensorsFile;
import org.llama3j.format.safetensors.SafetensorsReader;
import org.llama3j.kernel.Dequantize;

class PeftAdapterTest {
    static final LoraBase BASE = new LoraBase(2, 16, 4, 2, 4, 24);
    static final LoraConfig CONFIG = new LoraConfig(2, 16f, 0.05f, EnumSet.of(Projection.Q, Projection.K, Projection.V,
            Projection.DOWN));

    @TempDir
    Path tmp;

    @Test
    void roundTripsInThePeftLayout() throws Exception {
        LoraAdapter a = LoraTestModels.random(CONFIG, BASE, 7, 0.3);
        Path dir = tmp.resolve("adapter");
        PeftAdapter.write(a, "llama3j-test", dir);
        LoraAdapter back = PeftAdapter.read(dir, BASE);
        assertEquals(CONFIG, back.config());
        assertEquals(a.matrices().keySet(), back.matrices().keySet());
        for (var e : a.matrices().entrySet()) {
            assertArrayEquals(e.getValue().a(), back.matrices().get(e.getKey()).a());
            assertArrayEquals(e.getValue().b(), back.matrices().get(e.getKey()).b());
        }
        try (SafetensorsFile f = SafetensorsReader.open(dir.resolve(PeftAdapter.WEIGHTS_FILE))) {
            assertEquals(16, f.tensorInfos().size());
            var qa = f.findTensorInfo("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight").orElseThrow();
            assertArrayEquals(new long[] {2, 16}, qa.hfShape());
            var kb = f.findTensorInfo("base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight").orElseThrow();
            assertArrayEquals(new long[] {8, 2}, kb.hfShape());
            var db = f.findTensorInfo("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight").orElseThrow();
            assertArrayEquals(new long[] {16, 2}, db.hfShape());
            // k's B rows are stored in HF's half-split RoPE order, like k_proj.weight itself
            float[] stored = Dequantize.all(f.tensor(kb.name()));
            float[] gguf = a.get(0, Projection.K).b();
            assertArrayEquals(RopePermutation.toHalfSplit(gguf, 8, 2, 2), stored);
        }
        String json = Files.readString(dir.resolve(PeftAdapterConfig.FILE));
        for (String s : List.of("\"peft_type\" : \"LORA\"", "\"r\" : 2", "\"lora_alpha\" : 16.0", "\"lora_dropout\" : 0.05",
                "\"q_proj\", \"k_proj\", \"v_proj\", \"down_proj\"")) {
            assertTrue(json.contains(s), s + " in " + json);
        }
    }

    private Path written() throws Exception {
        Path dir = tmp.resolve("a" + System.nanoTime());
        PeftAdapter.write(LoraTestModels.random(CONFIG, BASE, 1, 0.1), "t", dir);
        return dir;
    }

    private static String error(Path dir, LoraBase base) {
        return assertThrows(LoraFormatException.class, () -> PeftAdapter.read(dir, base)).getMessage();
    }

    @Test
    void rejectsAdaptersThatDoNotFitTheBase() throws Exception {
        Path dir = written();
        String e = error(dir, new LoraBase(2, 32, 4, 2, 8, 24));
        assertTrue(e.contains("q_proj.lora_A.weight' has shape [2, 16] but r = 2 on this base model needs [2, 32]"), e);
        e = error(dir, new LoraBase(1, 16, 4, 2, 4, 24));
        assertTrue(e.contains("is for layer 1 but the base model has 1 layers"), e);
        // target_modules lists o_proj, which the file lacks
        String json = Files.readString(dir.resolve(PeftAdapterConfig.FILE)).replace("\"down_proj\"", "\"down_proj\", \"o_proj\"");
        Files.writeString(dir.resolve(PeftAdapterConfig.FILE), json);
        e = error(dir, BASE);
        assertTrue(e.contains("adapter has no o_proj matrices for layer 0 although target_modules lists o_proj"), e);
    }

    @Test
    void rejectsBadConfigsAndMissingFiles() throws Exception {
        Path dir = written();
        Path cfg = dir.resolve(PeftAdapterConfig.FILE);
        String good = Files.readString(cfg);
        String[][] cases = {
                {good.replace("\"r\" : 2", "\"r\" : 0"), "'r' must be a positive integer, got 0"},
                {good.replace("\"LORA\"", "\"IA3\""), "peft_type is 'IA3'; only LORA adapters are supported"},
                {good.replace("\"use_dora\" : false", "\"use_dora\" : true"), "'use_dora' = true is not supported"},
                {good.replace("\"q_proj\"", "\"lm_head\""), "target module \"lm_head\" is not a Llama linear projection"},
                {good.replace("\"lora_alpha\" : 16.0", "\"lora_alpha\" : \"x\""), "'lora_alpha' must be a positive number"},
                {"{ \"r\": 2,", "not valid JSON"},
        };
        for (String[] c : cases) {
            Files.writeString(cfg, c[0], StandardCharsets.UTF_8);
            String e = error(dir, BASE);
            assertTrue(e.startsWith(cfg.toString()) && e.contains(c[1]), e);
        }
        Files.delete(cfg);
        assertThrows(NoSuchFileException.class, () -> PeftAdapter.read(dir, BASE));
        Path other = written();
        Files.delete(other.resolve(PeftAdapter.WEIGHTS_FILE));
        assertThrows(NoSuchFileException.class, () -> PeftAdapter.read(other, BASE));
        assertThrows(NoSuchFileException.class, () -> PeftAdapter.read(tmp.resolve("nope"), BASE));
    }
}
