package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.llama3j.tensor.DType;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.export.ChatTemplates;
import org.llama3j.train.export.GgufExporter;
import org.llama3j.train.export.HfExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llama3j export}: a training checkpoint → GGUF loadable by llama3j and llama.cpp, or
 * ({@code --format hf}) a Hugging Face safetensors directory with config.json and tokenizer files.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a training checkpoint to GGUF or to a Hugging Face safetensors directory.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT",
            description = "A checkpoint file, or a checkpoint directory (its newest intact checkpoint).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "OUT",
            description = "Output GGUF file, or directory with --format hf (new or empty).")
    Path out;

    @Option(names = "--format", defaultValue = "gguf", paramLabel = "gguf|hf",
            description = "gguf, or hf (config.json, model.safetensors, tokenizer.json; default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--type", defaultValue = "F32", paramLabel = "TYPE",
            description = "F32, BF16 or Q8_0 for gguf; F32, F16 or BF16 for hf (default F32).")
    String type;

    @Option(names = "--chat-template", defaultValue = "none", paramLabel = "none|llama3",
            description = "Chat template to embed as tokenizer.chat_template (default: ${DEFAULT-VALUE}).")
    String chatTemplate;

    @Override
    public Integer call() throws Exception {
        Optional<String> template = switch (chatTemplate.toLowerCase()) {
            case "none" -> Optional.empty();
            case "llama3" -> Optional.of(ChatTemplates.LLAMA3);
            default -> throw new UserException("--chat-template must be none or llama3; got '" + chatTemplate + "'");
        };
        boolean hf = switch (format.toLowerCase()) {
            case "gguf" -> false;
            case "hf" -> true;
            default -> throw new UserException("--format must be gguf or hf; got '" + format + "'");
        };
        DType t = switch (type.toUpperCase()) {
            case "F32" -> DType.F32;
            case "BF16" -> DType.BF16;
            case "Q8_0" -> hf ? null : DType.Q8_0;
            case "F16" -> hf ? DType.F16 : null;
            default -> null;
        };
        if (t == null) {
            throw new UserException("--type must be " + (hf ? "F32, F16 or BF16" : "F32, BF16 or Q8_0") + " for --format "
                    + format.toLowerCase() + "; got '" + type + "'");
        }
        if (hf && Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
            throw new UserException("--out " + out + " exists and is not an empty directory");
        }
        TrainingState state;
        if (Files.isDirectory(checkpoint)) {
            state = new CheckpointStore(checkpoint, 1).loadLatestValid(w -> System.err.println("llama3j: " + w))
                    .orElseThrow(() -> new UserException(checkpoint + " holds no intact checkpoint")).state();
        } else {
            state = CheckpointStore.read(checkpoint);
        }
        if (hf) {
            HfExporter.export(state, out, t, template);
        } else {
            GgufExporter.export(state, out, t, "llama3j-step-" + state.step(), template);
        }
        System.err.printf("llama3j: wrote %s (step %d, %s, %s)%n", out, state.step(), hf ? "hf" : "gguf", t);
        return 0;
    }

    private static boolean isEmpty(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}
