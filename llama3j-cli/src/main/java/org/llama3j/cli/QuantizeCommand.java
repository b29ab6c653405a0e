package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.ModelQuantizer;
import org.llama3j.model.SafetensorsModelLoader;
import org.llama3j.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llama3j quantize}: rewrites the weight matrices in the target type with llama-quantize's
 * per-tensor choices ({@link ModelQuantizer}). The output is written to a temporary file and
 * renamed, so a failure leaves no half-written file.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, description = "Quantize a GGUF model.")
final class QuantizeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "IN", description = "Input GGUF.")
    Path in;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "Output GGUF.")
    Path out;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Q8_0, Q4_0, F16, BF16 or F32.")
    String type;

    @Override
    public Integer call() throws Exception {
        DType target;
        try {
            target = DType.valueOf(type.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new UserException("--type must be one of Q8_0, Q4_0, F16, BF16, F32; got '" + type + "'");
        }
        ModelQuantizer.fileType(target);
        if (SafetensorsModelLoader.isCheckpoint(in)) {
            throw new UserException(in + " is a Hugging Face checkpoint; quantize reads GGUF files"
                    + " (use 'llama3j convert --type' to change an HF checkpoint's float type)");
        }
        if (Files.exists(out) && Files.isSameFile(in, out)) {
            throw new UserException("--out must differ from the input file");
        }
        try (GgufFile f = GgufReader.open(in)) {
            int converted = ModelQuantizer.quantize(f, target, out);
            System.err.printf("llama3j: wrote %s: %d tensors converted to %s%n", out, converted, target);
        }
        return 0;
    }
}
