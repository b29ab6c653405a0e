package org.llama3j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.llama3j.Llama;
import picocli.CommandLine.Option;

/** The {@code --lora DIR} option of the commands that run a model: a PEFT adapter applied on top of it. */
final class LoraOption {
    @Option(names = "--lora", paramLabel = "DIR",
            description = "LoRA adapter directory in the Hugging Face PEFT layout (adapter_config.json, "
                    + "adapter_model.safetensors), applied to the model as a low-rank side path.")
    Path lora;

    /** The model at {@code model}, with the adapter when one was given. */
    Llama load(Path model) throws IOException {
        return Llama.load(model, lora);
    }
}
