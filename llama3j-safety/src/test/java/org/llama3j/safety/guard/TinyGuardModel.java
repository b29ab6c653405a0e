package org.llama3j.safety.guard;

import java.nio.file.Path;
import org.llama3j.Llama;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.tensor.DType;

/** A tiny random-weight Llama with the real Llama 3 tokenizer: gibberish answers, but real tokens and logits. */
public final class TinyGuardModel {
    public static final Path VOCAB = Path.of("../llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf");

    private TinyGuardModel() {
    }

    /** Writes the model (dim 32, 1 layer, context 1024 — room for the Llama Guard 3 prompt) and loads it. */
    public static Llama load(Path dir, long seed) throws Exception {
        Path out = dir.resolve("guard-" + seed + ".gguf");
        try (GgufFile v = GgufReader.open(VOCAB)) {
            RandomModelWriter.write(out, new ModelShape(32, 1, 2, 1, 64, 1024, 500000f, 1e-5f, null, true), v, DType.F32, seed);
        }
        return Llama.load(out);
    }
}
