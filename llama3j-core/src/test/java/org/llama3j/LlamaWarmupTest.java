package org.llama3j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.tensor.DType;

/** {@code -Dllama3j.kernelWarmup=N} (kernel warm-up while a model loads) changes no generated token. */
class LlamaWarmupTest {
    @TempDir
    Path tmp;

    @Test
    void generationIsTheSameWithTheWarmup() throws Exception {
        Path vocab = Path.of(getClass().getResource("/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf").toURI());
        Path model = tmp.resolve("m.gguf");
        try (GgufFile v = GgufReader.open(vocab)) {
            RandomModelWriter.write(model, new ModelShape(64, 2, 4, 2, 160, 256, 500000f, 1e-5f, null, false), v, DType.Q8_0, 7);
        }
        GenerationResult plain = generate(model);
        String old = System.getProperty(LlamaLoader.WARMUP_PROPERTY);
        System.setProperty(LlamaLoader.WARMUP_PROPERTY, "1000000");
        try {
            // the endless warm-up is asked to stop once the tokenizer is built, and waited for by close()
            GenerationResult warmed = generate(model);
            assertArrayEquals(plain.tokens(), warmed.tokens());
            assertEquals(plain.text(), warmed.text());
            assertEquals(12, warmed.tokens().length);
        } finally {
            if (old == null) {
                System.clearProperty(LlamaLoader.WARMUP_PROPERTY);
            } else {
                System.setProperty(LlamaLoader.WARMUP_PROPERTY, old);
            }
        }
    }

    private static GenerationResult generate(Path model) throws Exception {
        try (Llama llama = Llama.load(model)) {
            return llama.generate(llama.tokenizePrompt("The capital of France is"), 12, SamplingParams.GREEDY,
                    List.of(), TokenListener.NONE, () -> false);
        }
    }
}
