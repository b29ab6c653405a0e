package org.llama3j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model FILE} option shared by the commands that run a model. */
final class ModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "GGUF model file, or Hugging Face checkpoint directory (config.json, safetensors, tokenizer.json).")
    Path model;

    Path require() {
        if (model == null) {
            throw new UserException("no --model given (llama3j has no bundled default model yet)");
        }
        return model;
    }
}
