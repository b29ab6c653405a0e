package org.llama3j.eval.scaling;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A scaling sweep as written in YAML (see {@code llama3j-eval/README.md}): token shards, budgets in
 * FLOPs, candidate model shapes, the shared batch/optimizer settings and an optional task for the
 * NLL → accuracy fit. Paths are relative to the YAML file.
 */
public record SweepConfig(Data data, List<Double> budgets, List<Shape> models, Batch batch, Optimizer optimizer,
                          Eval eval, String task, Integer threads, Long seed, Integer minSteps, String out) {

    public record Data(String dir, String tokenizer, Integer seqLen) {
    }

    public record Shape(Integer dim, Integer layers, Integer heads, Integer kvHeads, Integer ffnDim) {
    }

    public record Batch(Integer microBatch, Integer gradAccumulation) {
    }

    /** AdamW with warmup for {@code warmupFraction} of each run's steps, then cosine to {@code minLrRatio·lr}. */
    public record Optimizer(Double lr, Double warmupFraction, Double minLrRatio, Double weightDecay, Double gradClip) {
    }

    /** Validation loss at the end of each run over the first {@code batches} micro-batches of the val shards. */
    public record Eval(Integer batches) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads and validates a sweep file; bad keys and values are {@link IllegalArgumentException}s naming the key. */
    public static Sweep load(Path file) throws IOException {
        SweepConfig c;
        try {
            c = YAML.readValue(Files.readString(file), SweepConfig.class);
        } catch (JsonMappingException e) {
            String key = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new IllegalArgumentException(file + ": bad or unknown key '" + key + "': " + e.getOriginalMessage());
        }
        if (c == null) {
            throw new IllegalArgumentException(file + ": the sweep config is empty");
        }
        return Sweep.validate(c, file.toAbsolutePath().getParent(), file.toString());
    }
}
