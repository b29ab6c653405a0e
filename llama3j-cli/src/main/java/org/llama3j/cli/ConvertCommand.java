package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.format.hf.HfTokenizerConfig;
import org.llama3j.format.hf.HfTokenizerWriter;
import org.llama3j.format.safetensors.SafetensorsModel;
import org.llama3j.model.LayerWeights;
import org.llama3j.model.LlamaWeights;
import org.llama3j.model.SafetensorsExporter;
import org.llama3j.model.SafetensorsModelLoader;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llama3j convert}: writes a model (GGUF, or an HF checkpoint to re-type) as a Hugging Face
 * checkpoint directory: config.json, model.safetensors, tokenizer.json and tokenizer_config.json
 * ({@link SafetensorsExporter}, {@link HfTokenizerWriter}).
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a model to a Hugging Face safetensors checkpoint directory.")
final class ConvertCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "IN", description = "GGUF file or HF checkpoint directory.")
    Path in;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output directory (created if needed).")
    Path out;

    @Option(names = "--type", defaultValue = "auto", paramLabel = "TYPE",
            description = "F32, F16, BF16, or auto (the input's matrix type when it is one of those, else F32).")
    String type;

    @Override
    public Integer call() throws Exception {
        DType requested = parseType(type);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserException("--out " + out + " exists and is not a directory");
        }
        if (Files.isRegularFile(out.resolve(SafetensorsModel.INDEX_FILE))) {
            throw new UserException("--out " + out + " holds a sharded checkpoint (" + SafetensorsModel.INDEX_FILE
                    + "), which would shadow the converted model.safetensors; use an empty directory");
        }
        boolean hfInput = SafetensorsModelLoader.isCheckpoint(in);
        if (hfInput && Files.exists(out) && Files.isSameFile(SafetensorsModelLoader.checkpointDirectory(in), out)) {
            throw new UserException("--out must differ from the input checkpoint directory");
        }
        try (Llama llama = Llama.load(in)) {
            DType target = requested != null ? requested : matrixType(llama.model().weights());
            var options = new SafetensorsExporter.Options(target, null,
                    llama.bos() >= 0 ? List.of(llama.bos()) : List.of(), List.copyOf(llama.endTokens()));
            SafetensorsExporter.export(llama.model(), options, out);
            if (hfInput) {
                Path src = SafetensorsModelLoader.checkpointDirectory(in);
                for (String f : List.of(HfTokenizerWriter.TOKENIZER_FILE, HfTokenizerConfig.FILE, "generation_config.json")) {
                    if (Files.isRegularFile(src.resolve(f))) {
                        Files.copy(src.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                HfTokenizerWriter.write(llama.file().metadata(), out);
            }
            System.err.printf("llama3j: wrote %s: Hugging Face checkpoint, %s weights%n", out, target);
        }
        return 0;
    }

    private static DType parseType(String type) {
        if (type.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            DType t = DType.valueOf(type.toUpperCase());
            if (t == DType.F32 || t == DType.F16 || t == DType.BF16) {
                return t;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UserException("--type must be F32, F16, BF16 or auto; got '" + type + "'");
    }

    /** The matrices' common type when it is F32, F16 or BF16 (no precision lost); F32 for anything else. */
    private static DType matrixType(LlamaWeights w) {
        DType common = w.tokenEmbedding().type();
        for (LayerWeights l : w.layers()) {
            for (Tensor t : l.matrices()) {
                if (t.type() != common) {
                    return DType.F32;
                }
            }
        }
        if (w.output().type() != common) {
            return DType.F32;
        }
        return common == DType.F16 || common == DType.BF16 ? common : DType.F32;
    }
}
