package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.format.gguf.GgufWriter;
import org.llama3j.kernel.Dequantize;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llama3j quantize}: rewrites every weight matrix (2-D tensor, row length a multiple of 32)
 * in the target type, like {@code llama-quantize --pure}; norms and rope factors stay as they are.
 * The output is written to a temporary file and renamed, so a failure leaves no half-written file.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, description = "Quantize a GGUF model.")
final class QuantizeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "IN", description = "Input GGUF.")
    Path in;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT", description = "Output GGUF.")
    Path out;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Q8_0, Q4_0, F16, BF16 or F32.")
    String type;

    /** llama.cpp {@code enum llama_ftype} values written to {@code general.file_type}. */
    private static int fileType(DType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case BF16 -> 32;
            default -> throw new UserException("cannot quantize to " + t);
        };
    }

    @Override
    public Integer call() throws Exception {
        DType target;
        try {
            target = DType.valueOf(type.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new UserException("--type must be one of Q8_0, Q4_0, F16, BF16, F32; got '" + type + "'");
        }
        int ftype = fileType(target);
        if (Files.exists(out) && Files.isSameFile(in, out)) {
            throw new UserException("--out must differ from the input file");
        }
        try (GgufFile f = GgufReader.open(in)) {
            GgufWriter w = new GgufWriter();
            var md = f.metadata();
            for (String key : md.keys()) {
                if (!key.equals("general.file_type") && !key.equals("general.alignment")) {
                    w.put(key, md.get(key));
                }
            }
            w.putUInt32("general.file_type", ftype);
            int converted = 0;
            for (Tensor t : f.tensors().values()) {
                boolean matrix = t.rank() == 2 && t.rowLength() % target.blockSize() == 0 && !t.name().startsWith("rope_freqs");
                if (matrix && t.type() != target) {
                    w.addTensor(t.name(), t.shape(), Dequantize.all(t), target);
                    converted++;
                } else {
                    w.addTensor(t);
                }
            }
            w.write(out);
            System.err.printf("llama3j: wrote %s: %d tensors converted to %s%n", out, converted, target);
        }
        return 0;
    }
}
