package org.llama3j.format.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfLlamaConfigTest {
    /** meta-llama/Llama-3.1-8B-Instruct config.json (as published on the Hugging Face hub). */
    static final String LLAMA_31_8B = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "hidden_act": "silu",
             "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336,
             "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
             "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
             "pretraining_tp": 1, "rms_norm_eps": 1e-05,
             "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
             "transformers_version": "4.43.0.dev0", "use_cache": true, "vocab_size": 128256}
            """;

    @Test
    void readsLlama31Config() {
        HfLlamaConfig c = HfLlamaConfig.parse("config.json", LLAMA_31_8B);
        assertEquals(4096, c.hiddenSize());
        assertEquals(14336, c.intermediateSize());
        assertEquals(32, c.numHiddenLayers());
        assertEquals(32, c.numAttentionHeads());
        assertEquals(8, c.numKeyValueHeads());
        assertEquals(128, c.headDim());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(new HfRopeScaling("llama3", 8.0, 1.0, 4.0, 8192), c.ropeScaling());
        assertEquals(128256, c.vocabSize());
        assertEquals(131072, c.maxPositionEmbeddings());
        assertEquals(List.of(128000), c.bosTokenIds());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals("bfloat16", c.torchDtype());
    }

    @Test
    void defaultsAndLegacyRopeType() {
        HfLlamaConfig c = HfLlamaConfig.parse("c.json", """
                {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
                 "vocab_size": 100, "rope_scaling": {"type": "linear", "factor": 2}}""");
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(16, c.headDim());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(2048, c.maxPositionEmbeddings());
        assertEquals(new HfRopeScaling("linear", 2, 0, 0, 0), c.ropeScaling());
        assertTrue(c.eosTokenIds().isEmpty());
        assertNull(c.torchDtype());
    }

    @Test
    void writesAndReadsBack(@TempDir Path dir) throws IOException {
        HfLlamaConfig c = HfLlamaConfig.parse("config.json", LLAMA_31_8B);
        Path p = dir.resolve("config.json");
        c.write(p);
        assertEquals(c, HfLlamaConfig.read(p));
        assertTrue(c.toJsonString().contains("\"bos_token_id\" : 128000"));
    }

    @Test
    void namesBadFields() {
        assertEquals("c.json: 'hidden_size' is missing",
                assertThrows(HfConfigException.class, () -> HfLlamaConfig.parse("c.json", "{}")).getMessage());
        assertEquals("c.json: 'hidden_size' is \"4096\", expected a positive integer",
                assertThrows(HfConfigException.class, () -> HfLlamaConfig.parse("c.json",
                        "{\"hidden_size\": \"4096\"}")).getMessage());
        assertEquals("c.json: num_attention_heads 32 is not a multiple of num_key_value_heads 5",
                assertThrows(HfConfigException.class, () -> HfLlamaConfig.parse("c.json",
                        LLAMA_31_8B.replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5"))).getMessage());
        assertEquals("c.json rope_scaling: 'low_freq_factor' is missing",
                assertThrows(HfConfigException.class, () -> HfLlamaConfig.parse("c.json",
                        LLAMA_31_8B.replace("\"low_freq_factor\": 1.0,", ""))).getMessage());
        assertTrue(assertThrows(HfConfigException.class, () -> HfLlamaConfig.parse("c.json", "{"))
                .getMessage().startsWith("c.json: not valid JSON"));
    }
}
