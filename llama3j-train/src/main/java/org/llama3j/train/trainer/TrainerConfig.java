package org.llama3j.train.trainer;

import java.nio.file.Path;

/**
 * A training run as written in its YAML file (see {@code llama3j-train/README.md} "Trainer
 * config"). Missing optional keys take the defaults named in each record; paths are relative to
 * the config file's directory. {@link TrainerConfigLoader} reads and validates it.
 */
public record TrainerConfig(Model model, Data data, Batch batch, Integer threads, Optimizer optimizer, Integer steps,
                            Eval eval, Checkpoint checkpoint, Faults faults, Long seed, String out,
                            Boolean recompute) {

    /** Model sizes; the vocabulary size comes from the shards. */
    public record Model(Integer dim, Integer layers, Integer heads, Integer kvHeads, Integer ffnDim, Float normEps,
                        Double ropeTheta, String ropeScaling, Boolean tiedEmbeddings, Double initStd) {
    }

    /** Shard directory (from {@code llama3j tokenize-corpus}), tokenizer file, sequence length. */
    public record Data(String dir, String tokenizer, Integer seqLen) {
    }

    /** Sequences per micro-batch and micro-batches per optimizer step. */
    public record Batch(Integer microBatch, Integer gradAccumulation) {
    }

    public record Optimizer(Float lr, Float minLrRatio, Integer warmupSteps, Float beta1, Float beta2, Float eps,
                            Float weightDecay, Double gradClip) {
    }

    /** Validation loss every {@code every} steps over {@code batches} micro-batches of the val shards. */
    public record Eval(Integer every, Integer batches) {
    }

    public record Checkpoint(String dir, Integer every, Integer keep) {
    }

    /**
     * A step whose loss or gradient norm is not finite, or whose loss exceeds {@code spikeFactor}
     * × the running mean (after {@code spikeWarmup} steps), is rolled back; more than
     * {@code maxRollbacks} rollbacks in one session stop the run.
     */
    public record Faults(Double spikeFactor, Integer spikeWarmup, Integer maxRollbacks) {
    }

    /** Resolves a path of the config against the directory of the config file. */
    public static Path resolve(Path base, String value) {
        Path p = Path.of(value);
        return p.isAbsolute() || base == null ? p : base.resolve(p);
    }
}
