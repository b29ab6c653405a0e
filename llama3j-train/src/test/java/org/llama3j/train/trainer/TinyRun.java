package org.llama3j.train.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.data.CorpusTokenizer;
import org.llama3j.train.tokenizer.BpeTrainerTestCorpus;
import org.llama3j.train.tokenizer.TokenizerTraining;

/** A small corpus → tokenizer → shards → YAML config in a temporary directory, for trainer tests. */
final class TinyRun {

    private TinyRun() {
    }

    /** Writes corpus, tokenizer (ranks) and shards into {@code dir}; returns the shard directory. */
    static Path prepare(Path dir, int words, int ranks) throws IOException {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, BpeTrainerTestCorpus.generate(words, 11));
        Path tokFile = dir.resolve("tokenizer.model");
        TokenizerTraining.train(List.of(corpus), null, ranks, tokFile);
        Tokenizer tok = Llama3Tokenizer.load(tokFile);
        Path shards = dir.resolve("shards");
        CorpusTokenizer.tokenize(tok, List.of(corpus), "\n", shards, 0.1, 2000);
        Files.copy(tokFile, shards.resolve("tokenizer.model"));
        return shards;
    }

    static String yaml(Path shards, Path out, int steps, int threads, int checkpointEvery) {
        return """
                model: {dim: 32, layers: 2, heads: 4, kvHeads: 2, ffnDim: 64, initStd: 0.05}
                data: {dir: %s, seqLen: 32}
                batch: {microBatch: 2, gradAccumulation: 3}
                threads: %d
                optimizer: {lr: 3.0e-3, warmupSteps: 5, minLrRatio: 0.1}
                steps: %d
                eval: {every: 5, batches: 2}
                checkpoint: {every: %d, keep: 2}
                faults: {spikeFactor: 3.0, spikeWarmup: 5}
                seed: 7
                out: %s
                """.formatted(shards, threads, steps, checkpointEvery, out);
    }

    static RunSettings settings(Path shards, Path out, int steps, int threads, int checkpointEvery) {
        return TrainerConfigLoader.parse(yaml(shards, out, steps, threads, checkpointEvery), out.getParent(), "test.yaml");
    }
}
