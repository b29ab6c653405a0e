package org.llama3j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.tensor.DType;

/**
 * Continuous batching must not change results: one decode step over several sequences at
 * different positions gives each sequence the logits it gets alone, and a prompt fed in chunks
 * gives the logits of the prompt fed at once.
 */
class BatchedDecodeTest {
    @TempDir
    Path tmp;

    @Test
    void batchedStepEqualsSeparateSteps() throws Exception {
        try (GgufFile f = model(DType.Q8_0)) {
            LlamaModel m = GgufModelLoader.load(f);
            int vocab = m.config().vocabSize();
            int[][] prompts = {{128000, 791, 4062}, {128000, 9906, 1917, 11, 1268, 527}, {128000, 40}};
            int[] next = {14198, 499, 1097};
            // alone
            float[][] alone = new float[3][];
            for (int i = 0; i < 3; i++) {
                InferenceState s = m.newState(16);
                m.forward(s, prompts[i], prompts[i].length, prompts[i].length - 1);
                alone[i] = m.forward(s, new int[] {next[i]}, 1, 0);
            }
            // together
            InferenceState[] states = new InferenceState[3];
            for (int i = 0; i < 3; i++) {
                states[i] = m.newState(16);
                m.forward(states[i], prompts[i], prompts[i].length, prompts[i].length - 1);
            }
            float[] batched = m.decode(new Workspace(), states, next);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(alone[i], Arrays.copyOfRange(batched, i * vocab, (i + 1) * vocab), 1e-5f, "sequence " + i);
            }
            assertThrows(IllegalArgumentException.class,
                    () -> m.decode(new Workspace(), new InferenceState[] {states[0], states[0]}, new int[] {1, 2}));

            // the scheduler's form: the first n of longer arrays, into a reused, larger buffer
            InferenceState[] again = new InferenceState[4];
            for (int i = 0; i < 4; i++) {
                again[i] = m.newState(16);
                int p = i % 3;
                m.forward(again[i], prompts[p], prompts[p].length, prompts[p].length - 1);
            }
            float[] buffer = new float[4 * vocab];
            Arrays.fill(buffer, 7f);
            int[] tokens = Arrays.copyOf(next, 4);
            assertSame(buffer, m.decode(new Workspace(), again, 3, tokens, buffer));
            assertArrayEquals(batched, Arrays.copyOf(buffer, 3 * vocab), "same computation, same bits");
            for (int i = 3 * vocab; i < 4 * vocab; i++) {
                assertEquals(7f, buffer[i], "the row past n is untouched");
            }
            assertEquals(prompts[0].length, again[3].position(), "only the first n states advance");
            assertEquals(prompts[0].length + 1, again[0].position());
            assertThrows(IllegalArgumentException.class,
                    () -> m.decode(new Workspace(), again, 2, tokens, new float[2 * vocab - 1]));
        }
    }

    @Test
    void chunkedPrefillEqualsWholePrefill() throws Exception {
        try (GgufFile f = model(DType.F32)) {
            LlamaModel m = GgufModelLoader.load(f);
            int[] prompt = {128000, 791, 4062, 14198, 39935, 35308, 927, 279, 16053, 5679};
            InferenceState whole = m.newState(16);
            float[] a = m.forward(whole, prompt, prompt.length, prompt.length - 1);
            InferenceState chunked = m.newState(16);
            m.forward(chunked, Arrays.copyOfRange(prompt, 0, 4), 4, 4);
            float[] b = m.forward(chunked, Arrays.copyOfRange(prompt, 4, 10), 6, 5);
            assertArrayEquals(a, b, 1e-4f);
            assertThrows(ContextOverflowException.class, () -> m.forward(chunked, new int[7], 7, 6));
        }
    }

    private GgufFile model(DType type) throws Exception {
        Path vocab = Path.of(getClass().getResource("/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf").toURI());
        Path out = tmp.resolve("m.gguf");
        try (GgufFile v = GgufReader.open(vocab)) {
            RandomModelWriter.write(out, new ModelShape(64, 2, 4, 2, 160, 256, 500000f, 1e-5f, null, false), v, type, 5);
        }
        return GgufReader.open(out);
    }
}
