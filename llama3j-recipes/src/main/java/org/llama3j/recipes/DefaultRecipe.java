package org.llama3j.recipes;

import org.llama3j.recipes.sft.ChatSftStage;

/**
 * The fixed choices of llama3j's default model: the data pipeline, tokenizer size, model shape,
 * optimizer and chat fine-tuning. Everything a run depends on is here or in its {@link DefaultModelBuild.Options}, so the same
 * options give the same files.
 *
 * <p>The shape is sized for a busy 2-core build machine: the trainer reached about 380 tokens/s there with
 * this shape ({@link #ASSUMED_TOKENS_PER_SECOND}), which turns {@code --minutes} into a step count without
 * measuring anything (a measured speed would make the run depend on the machine's load).
 */
public record DefaultRecipe(int steps, long seed) {

    /** Ranks of the BPE tokenizer (256 bytes + merges); Llama 3's 256 special tokens follow, 4096 ids in all. */
    public static final int TOKENIZER_RANKS = 3840;
    public static final double VAL_FRACTION = 0.01;
    public static final long MAX_SHARD_TOKENS = 1_000_000;
    public static final int SEQ_LEN = 256;
    public static final int MICRO_BATCH = 4;
    public static final int GRAD_ACCUMULATION = 2;
    /** Fixed, not the machine's core count: data-parallel gradients are summed per worker, so the worker count is part of the result. */
    public static final int THREADS = 2;
    public static final int TOKENS_PER_STEP = SEQ_LEN * MICRO_BATCH * GRAD_ACCUMULATION;
    public static final double ASSUMED_TOKENS_PER_SECOND = 380;
    /** The shipped model's step count (about an hour on the build machine, 1.43M tokens). */
    public static final int DEFAULT_STEPS = 700;

    /**
     * The chat fine-tuning stage ({@link ChatSftStage}): about ten minutes on the build machine. Rows of
     * {@link #SEQ_LEN} tokens pack about four dialogues or replayed documents each (66 tokens on average), so
     * 4 rows × {@value #SFT_STEPS} steps make most of one pass over the {@value #SFT_TRAIN_DIALOGS} training dialogues
     * and {@value #SFT_REPLAY_DOCS} corpus documents (2.36M tokens for 2.05M token slots). Fresh dialogues rather
     * than repeats of a few: 150 steps over 3,000 dialogues taught the reply formats but not to copy the operands
     * of a sum. The replayed documents keep plain-text generation alive:
     * without them, 800 steps left a model whose {@code generate} output ended at the first full stop. The learning
     * rate is the pretraining peak's half: the model is small and far from converged, and the format must be learned
     * in a few hundred steps.
     */
    public static final int SFT_STEPS = 2000;
    public static final int SFT_BATCH_ROWS = 4;
    public static final double SFT_LR = 1.0e-3;
    public static final int SFT_TRAIN_DIALOGS = 24000;
    public static final int SFT_REPLAY_DOCS = 12000;
    public static final int SFT_VAL_DIALOGS = 200;

    public DefaultRecipe {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
    }

    /** The step count that fits {@code minutes} at {@link #ASSUMED_TOKENS_PER_SECOND}. */
    public static int stepsFor(double minutes) {
        if (!(minutes > 0)) {
            throw new IllegalArgumentException("minutes must be > 0, got " + minutes);
        }
        return Math.max(1, (int) (minutes * 60 * ASSUMED_TOKENS_PER_SECOND / TOKENS_PER_STEP));
    }

    /** The SFT stage's settings for {@code steps} steps and the build's seed. */
    public static ChatSftStage.Settings sft(int steps, long seed) {
        return new ChatSftStage.Settings(steps, SFT_BATCH_ROWS, SFT_LR, SFT_TRAIN_DIALOGS, SFT_VAL_DIALOGS, seed);
    }

    public int warmupSteps() {
        return Math.min(30, steps / 10);
    }

    /**
     * The data pipeline. Documents are short (nlp-corpus: one sentence each), so Gopher's 50-word minimum
     * becomes 5 and one stop word suffices, and Gopher's top-n-gram limits (meant for web pages; on a
     * one-sentence document a single repeated bigram already exceeds 20 %) are switched off; duplicate
     * lines, paragraphs and n-grams are still checked.
     */
    public static String pipelineYaml(String corpusFile) {
        return """
                input:
                  paths: [%s]
                output: clean
                threads: 1
                steps:
                  - type: gopher_quality
                    minDocWords: 5
                    minStopWords: 1
                  - type: gopher_repetition
                    topNGrams: []
                  - type: dirty_words
                  - type: exact_dedup
                """.formatted(corpusFile);
    }

    /** The trainer config (paths relative to the work directory). */
    public String trainYaml() {
        return """
                model: {dim: 128, layers: 4, heads: 4, kvHeads: 2, ffnDim: 384, normEps: 1.0e-5, ropeTheta: 500000,
                        tiedEmbeddings: true, initStd: 0.02}
                data: {dir: shards, seqLen: %d}
                batch: {microBatch: %d, gradAccumulation: %d}
                threads: %d
                optimizer: {lr: 2.0e-3, warmupSteps: %d, minLrRatio: 0.1, beta1: 0.9, beta2: 0.95, eps: 1.0e-8,
                            weightDecay: 0.1, gradClip: 1.0}
                steps: %d
                eval: {every: 100, batches: 8}
                checkpoint: {every: 50, keep: 3, dir: run/checkpoints}
                seed: %d
                out: run
                """.formatted(SEQ_LEN, MICRO_BATCH, GRAD_ACCUMULATION, THREADS, warmupSteps(), steps, seed);
    }
}
