package org.llama3j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model FILE} option shared by the commands that run a model. */
final class ModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "GGUF model file, or Hugging Face checkpoint directory (config.json, safetensors, tokenizer.json); "
                    + "default: the bundled " + DefaultModel.RELATIVE_PATH + ".")
    Path model;

    Path require() {
        if (model == null) {
            Path d = DefaultModel.require();
            System.err.println("llama3j: no --model given; using the bundled default model " + d
                    + " (a 1.3M-parameter demo trained by llama3j itself, see MODEL_CARD.md)");
            return d;
        }
        return model;
    }
}
