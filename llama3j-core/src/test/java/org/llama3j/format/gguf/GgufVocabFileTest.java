package org.llama3j.format.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads llama.cpp's Llama 3 vocabulary-only GGUF (models/ggml-vocab-llama-bpe.gguf). */
class GgufVocabFileTest {

    static Path vocabFile() {
        return Path.of("src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf");
    }

    @Test
    void readsKnownValues() throws IOException {
        Path p = vocabFile();
        try (GgufFile f = GgufReader.open(p)) {
            GgufMetadata m = f.metadata();
            assertEquals(3, f.version());
            assertEquals(0, f.tensorInfos().size());
            assertEquals("llama", m.getString("general.architecture"));
            assertEquals("gpt2", m.getString("tokenizer.ggml.model"));
            assertEquals("llama-bpe", m.getString("tokenizer.ggml.pre"));
            String[] tokens = m.getStringArray("tokenizer.ggml.tokens");
            assertEquals(128256, tokens.length);
            assertEquals("!", tokens[0]);
            assertEquals("Ġthe", tokens[279]);
            assertEquals("<|begin_of_text|>", tokens[128000]);
            assertEquals("<|eot_id|>", tokens[128009]);
            assertEquals(128256, m.getIntArray("tokenizer.ggml.token_type").length);
            String[] merges = m.getStringArray("tokenizer.ggml.merges");
            assertEquals(280147, merges.length);
            assertEquals("Ġ Ġ", merges[0]);
            assertEquals(128000, m.getInt("tokenizer.ggml.bos_token_id"));
            assertEquals(500000f, m.getFloat("llama.rope.freq_base"));
            assertArrayEquals(new int[] {1, 1, 1}, java.util.Arrays.copyOfRange(
                    m.getIntArray("tokenizer.ggml.token_type"), 0, 3));
        }
    }
}
