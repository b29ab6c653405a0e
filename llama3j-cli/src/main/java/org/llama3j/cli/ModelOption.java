package org.llama3j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model FILE} option shared by the commands that run a model. */
final class ModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    Path require() {
        if (model == null) {
            throw new UserException("no --model given (llama3j has no bundled default model yet)");
        }
        return model;
    }
}
