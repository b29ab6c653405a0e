package org.llama3j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.model.RopeScaling;
import org.llama3j.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llama3j random-model}: writes a Llama GGUF with seeded random weights and the tokenizer of
 * another GGUF. For tests, oracle comparisons and benchmarks (no real weights can be downloaded).
 */
@Command(name = "random-model", mixinStandardHelpOptions = true,
        description = "Write a GGUF with seeded random weights (for tests and benchmarks).")
final class RandomModelCommand implements Callable<Integer> {
    @Option(names = "--vocab", required = true, paramLabel = "GGUF", description = "GGUF whose tokenizer to copy.")
    Path vocab;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE")
    Path out;

    @Option(names = "--shape", paramLabel = "NAME", description = "Preset: llama3.2-1b.")
    String preset;

    @Option(names = "--dim", defaultValue = "64") int dim;
    @Option(names = "--layers", defaultValue = "2") int layers;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--kv-heads", defaultValue = "2") int kvHeads;
    @Option(names = "--ffn", defaultValue = "160") int ffn;
    @Option(names = "--ctx", defaultValue = "2048") int ctx;
    @Option(names = "--rope-theta", defaultValue = "500000") float theta;
    @Option(names = "--rope-scaling-factor", description = "Llama 3.1-style scaling factor (e.g. 8 or 32); 0 = none.", defaultValue = "0") double scaling;
    @Option(names = "--untied", description = "Separate output matrix.") boolean untied;
    @Option(names = "--type", defaultValue = "F32", description = "Matrix type: F32, F16, BF16, Q8_0, Q4_0.") DType type;
    @Option(names = "--seed", defaultValue = "1") long seed;

    @Override
    public Integer call() throws Exception {
        ModelShape shape;
        if ("llama3.2-1b".equals(preset)) {
            shape = ModelShape.llama32_1B();
        } else if (preset != null) {
            throw new UserException("unknown --shape '" + preset + "' (known: llama3.2-1b)");
        } else {
            RopeScaling rs = scaling > 0 ? new RopeScaling(scaling, 1, 4, 8192) : null;
            shape = new ModelShape(dim, layers, heads, kvHeads, ffn, ctx, theta, 1e-5f, rs, !untied);
        }
        try (GgufFile v = GgufReader.open(vocab)) {
            RandomModelWriter.write(out, shape, v, type, seed);
        }
        return 0;
    }
}
