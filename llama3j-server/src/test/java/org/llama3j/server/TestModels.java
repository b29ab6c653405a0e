package org.llama3j.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llama3j.Llama;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.tensor.DType;

/**
 * A tiny Llama-architecture model with random weights and the real Llama 3 vocabulary (llama.cpp's
 * vocab GGUF from the core module's test resources): gibberish text, but real tokens, special tokens
 * and chat template, and fast enough for HTTP tests.
 */
final class TestModels {
    static final Path VOCAB = Path.of("../llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf");
    static final ModelShape SHAPE = new ModelShape(64, 2, 4, 2, 128, 2048, 500000f, 1e-5f, null, true);
    private static Path model;
    private static Llama shared;

    private TestModels() {
    }

    /** One loaded instance for all tests (loading builds the 128k-token tokenizer: seconds). */
    static synchronized Llama shared() throws IOException {
        if (shared == null) {
            shared = Llama.load(tiny());
        }
        return shared;
    }

    /** A server over the shared model. */
    static LlamaServer serve(ServerConfig config) throws Exception {
        LlamaServer s = LlamaServer.start(config, TestModels::shared);
        s.awaitLoaded();
        return s;
    }

    static synchronized Path tiny() {
        if (model == null) {
            try {
                Path dir = Files.createTempDirectory("llama3j-server-test");
                Path out = dir.resolve("tiny-random.gguf");
                try (GgufFile v = GgufReader.open(VOCAB)) {
                    RandomModelWriter.write(out, SHAPE, v, DType.F32, 42);
                }
                out.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                model = out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }
}
