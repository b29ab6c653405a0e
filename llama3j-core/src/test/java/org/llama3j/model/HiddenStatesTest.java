package org.llama3j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.kernel.Activations;
import org.llama3j.kernel.MatMuls;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.tensor.DType;

class HiddenStatesTest {

    @TempDir
    Path tmp;

    /**
     * Hidden states are causal (a prefix's states do not depend on what follows, chunked == whole) and are exactly
     * what the output head multiplies: output weights x final hidden state of the last token == forward's logits.
     */
    @Test
    void hiddenStatesAreCausalAndFeedTheOutputHead() throws Exception {
        Path vocab = Path.of(getClass().getResource("/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf").toURI());
        Path out = tmp.resolve("m.gguf");
        try (GgufFile v = GgufReader.open(vocab)) {
            RandomModelWriter.write(out, new ModelShape(64, 2, 4, 2, 160, 256, 500000f, 1e-5f, null, false), v, DType.F32, 3);
        }
        try (GgufFile f = GgufReader.open(out)) {
            LlamaModel m = GgufModelLoader.load(f);
            int dim = m.config().dim();
            int[] prompt = {128000, 791, 4062, 14198, 39935, 35308};
            float[] whole = m.hiddenStates(m.newState(8), prompt, prompt.length);
            assertEquals(prompt.length * dim, whole.length);
            InferenceState s = m.newState(8);
            float[] first = m.hiddenStates(s, Arrays.copyOfRange(prompt, 0, 4), 4);
            float[] rest = m.hiddenStates(s, Arrays.copyOfRange(prompt, 4, 6), 2);
            assertArrayEquals(Arrays.copyOfRange(whole, 0, 4 * dim), first, 1e-4f);
            assertArrayEquals(Arrays.copyOfRange(whole, 4 * dim, 6 * dim), rest, 1e-4f);

            float[] logits = m.forward(m.newState(8), prompt, prompt.length, prompt.length - 1);
            float[] last = Arrays.copyOfRange(whole, 5 * dim, 6 * dim);
            float[] fromHidden = new float[logits.length];
            MatMuls.multiply(m.weights().output(), new Activations().set(last, 1, dim), fromHidden);
            assertArrayEquals(logits, fromHidden, 1e-4f);
        }
    }
}
