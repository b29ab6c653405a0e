package org.llama3j.train.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.llama3j.Llama;
import org.llama3j.format.hf.HfTokenizerWriter;
import org.llama3j.model.SafetensorsExporter;
import org.llama3j.tensor.DType;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.layers.RopeScaling;

/**
 * Writes a training checkpoint as a Hugging Face {@code LlamaForCausalLM} directory:
 * {@code config.json}, {@code model.safetensors}, {@code tokenizer.json} and
 * {@code tokenizer_config.json}. The weights and tokenizer go through one F32 GGUF export
 * ({@link GgufExporter}, the format this module already proves against llama.cpp), which core
 * then writes with its {@link SafetensorsExporter} (q/k rows back to HF's half-split RoPE order)
 * and {@link HfTokenizerWriter}; so the HF directory holds exactly the GGUF export's numbers.
 *
 * <p>Nothing half-written: the directory is assembled next to {@code out} and renamed into place;
 * {@code out} must not exist or be an empty directory.
 */
public final class HfExporter {

    private HfExporter() {
    }

    /** Exports with matrices in {@code type} (F32, F16 or BF16) and the given chat template, if any. */
    public static void export(TrainingState state, Path out, DType type, Optional<String> chatTemplate)
            throws IOException {
        if (type != DType.F32 && type != DType.F16 && type != DType.BF16) {
            throw new IllegalArgumentException("safetensors export writes F32, F16 or BF16, not " + type);
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new IllegalArgumentException(out + " exists and is not an empty directory");
        }
        Path parent = Files.createDirectories(target.getParent());
        Path work = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp");
        try {
            Path gguf = work.resolve("export.gguf");
            GgufExporter.export(state, gguf, DType.F32, "llama3j-step-" + state.step(), chatTemplate);
            Path hf = Files.createDirectory(work.resolve("hf"));
            try (Llama llama = Llama.load(gguf)) {
                SafetensorsExporter.export(llama.model(), new SafetensorsExporter.Options(type,
                        coreScaling(state), List.of(llama.bos()), List.copyOf(llama.endTokens())), hf);
                HfTokenizerWriter.write(llama.file().metadata(), hf);
            }
            Files.deleteIfExists(target);
            Files.move(hf, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(work);
        }
    }

    private static org.llama3j.model.RopeScaling coreScaling(TrainingState state) {
        Optional<RopeScaling> r = state.shape().ropeScaling();
        return r.map(s -> new org.llama3j.model.RopeScaling(s.factor(), s.lowFreqFactor(), s.highFreqFactor(),
                s.originalContext())).orElse(null);
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
