package org.llama3j.eval.harness;

import java.nio.file.Path;

/** The repository's bundled default model (models/llama3j-default.gguf): 1.3M parameters, 4096-id vocabulary. */
final class DefaultModel {
    static final Path PATH = Path.of("..", "models", "llama3j-default.gguf");

    private DefaultModel() {
    }
}
