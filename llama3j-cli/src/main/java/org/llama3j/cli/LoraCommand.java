package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.format.hf.HfTokenizerConfig;
import org.llama3j.format.hf.HfTokenizerWriter;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.SafetensorsExporter;
import org.llama3j.model.SafetensorsModelLoader;
import org.llama3j.model.lora.LoraMerge;
import org.llama3j.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llama3j lora}: LoRA adapter tools; {@code lora merge} folds an adapter into its base model. */
@Command(name = "lora", mixinStandardHelpOptions = true, description = "LoRA adapter tools.",
        subcommands = LoraCommand.Merge.class)
final class LoraCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("missing subcommand: llama3j lora merge --model BASE --lora DIR --out FILE");
    }

    /**
     * {@code llama3j lora merge}: W + (α/r)·B·A for every adapted projection ({@link LoraMerge}); a
     * {@code .gguf} output keeps the base's metadata and tokenizer, a directory gets a Hugging Face checkpoint.
     */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Merge a LoRA adapter into its base model and write a GGUF file (OUT ending in .gguf) "
                    + "or a Hugging Face safetensors checkpoint directory.")
    static final class Merge implements Callable<Integer> {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "BASE", description = "Base model: GGUF file or HF checkpoint.")
        Path model;

        @Option(names = "--lora", required = true, paramLabel = "DIR", description = "PEFT adapter directory.")
        Path lora;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "Output .gguf file or directory.")
        Path out;

        @Option(names = "--type", paramLabel = "TYPE",
                description = "Matrix type of the output: F32, F16, BF16, Q8_0, Q4_0 for GGUF (default: keep each tensor's "
                        + "type; quantized types round the merged delta), F32, F16, BF16 for a directory (default F32).")
        String type;

        @Override
        public Integer call() throws Exception {
            DType t = parseType();
            boolean gguf = out.getFileName().toString().toLowerCase().endsWith(".gguf");
            try (Llama llama = Llama.load(model, lora)) {
                LlamaModel adapted = llama.model();
                if (gguf) {
                    if (llama.loaded().gguf().isEmpty()) {
                        throw new UserException("a .gguf output needs a GGUF base; for a Hugging Face base give a directory as --out");
                    }
                    int n = LoraMerge.mergeGguf(llama.file(), adapted.lora(), t, out);
                    System.err.printf("llama3j: merged %d LoRA matrices into %s%n", n, out);
                    return 0;
                }
                if (Files.exists(out) && !Files.isDirectory(out)) {
                    throw new UserException("--out " + out + " exists and is not a directory (use a .gguf name for GGUF output)");
                }
                DType hfType = t == null ? DType.F32 : t;
                if (hfType != DType.F32 && hfType != DType.F16 && hfType != DType.BF16) {
                    throw new UserException("a Hugging Face checkpoint holds F32, F16 or BF16 weights, not " + hfType);
                }
                LlamaModel merged = new LlamaModel(adapted.config(), LoraMerge.mergeF32(adapted.weights(), adapted.lora()));
                var options = new SafetensorsExporter.Options(hfType, null,
                        llama.bos() >= 0 ? List.of(llama.bos()) : List.of(), List.copyOf(llama.endTokens()));
                SafetensorsExporter.export(merged, options, out);
                if (llama.loaded().gguf().isPresent()) {
                    HfTokenizerWriter.write(llama.file().metadata(), out);
                } else {
                    Path src = SafetensorsModelLoader.checkpointDirectory(model);
                    for (String f : List.of(HfTokenizerWriter.TOKENIZER_FILE, HfTokenizerConfig.FILE, "generation_config.json")) {
                        if (Files.isRegularFile(src.resolve(f))) {
                            Files.copy(src.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                System.err.printf("llama3j: wrote %s: Hugging Face checkpoint with the LoRA adapter merged, %s weights%n",
                        out, hfType);
            }
            return 0;
        }

        private DType parseType() {
            if (type == null) {
                return null;
            }
            try {
                return DType.valueOf(type.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new UserException("--type must be F32, F16, BF16, Q8_0 or Q4_0; got '" + type + "'");
            }
        }
    }
}
