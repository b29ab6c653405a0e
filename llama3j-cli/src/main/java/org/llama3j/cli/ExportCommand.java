package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.tensor.DType;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.export.GgufExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llama3j export}: a training checkpoint → GGUF loadable by llama3j and llama.cpp. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a training checkpoint to GGUF.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT",
            description = "A checkpoint file, or a checkpoint directory (its newest intact checkpoint).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE.gguf", description = "Output GGUF.")
    Path out;

    @Option(names = "--type", defaultValue = "F32", paramLabel = "TYPE", description = "F32, BF16 or Q8_0 (default F32).")
    String type;

    @Override
    public Integer call() throws Exception {
        DType t = switch (type.toUpperCase()) {
            case "F32" -> DType.F32;
            case "BF16" -> DType.BF16;
            case "Q8_0" -> DType.Q8_0;
            default -> throw new UserException("--type must be F32, BF16 or Q8_0; got '" + type + "'");
        };
        TrainingState state;
        if (Files.isDirectory(checkpoint)) {
            state = new CheckpointStore(checkpoint, 1).loadLatestValid(w -> System.err.println("llama3j: " + w))
                    .orElseThrow(() -> new UserException(checkpoint + " holds no intact checkpoint")).state();
        } else {
            state = CheckpointStore.read(checkpoint);
        }
        GgufExporter.export(state, out, t);
        System.err.printf("llama3j: wrote %s (step %d, %s)%n", out, state.step(), t);
        return 0;
    }
}
