package org.llama3j.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.Llama;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.SamplingParams;
import org.llama3j.tensor.DType;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.data.ShardReader;
import org.llama3j.train.data.ShardSet;
import org.llama3j.train.export.GgufExporter;
import org.llama3j.train.tokenizer.BpeTrainerTestCorpus;

/**
 * Corpus → BPE tokenizer → shards → 100 training steps of a dim-32, 2-layer model → export →
 * generation through core's {@code Llama}. The loss must end far below the corpus's unigram
 * entropy, i.e. the model learned context, not just token frequencies.
 */
class EndToEndTest {

    @TempDir
    Path dir;

    @Test
    void trainExportGenerate() throws IOException {
        String corpus = BpeTrainerTestCorpus.generate(1500, 11);
        assertTrue(corpus.length() > 6000 && corpus.length() < 12000, "a few KB: " + corpus.length());
        Path shards = TinyRun.prepare(dir, 1500, 320);
        double unigram = unigramEntropy(ShardSet.list(shards, "train"));
        String yaml = """
                model: {dim: 32, layers: 2, heads: 4, kvHeads: 2, ffnDim: 64, initStd: 0.05}
                data: {dir: %s, seqLen: 64}
                batch: {microBatch: 4, gradAccumulation: 1}
                threads: 2
                optimizer: {lr: 1.0e-2, warmupSteps: 10, minLrRatio: 0.1, weightDecay: 0.0}
                steps: 100
                eval: {every: 50, batches: 4}
                checkpoint: {every: 50, keep: 2}
                seed: 1
                out: run
                """.formatted(shards);
        RunSettings s = TrainerConfigLoader.parse(yaml, dir, "e2e.yaml");
        TrainingReport r;
        try (Trainer t = new Trainer(s, TrainerHooks.NONE, new PrintStream(OutputStream.nullOutputStream()))) {
            r = t.run(false);
        }
        double last10 = r.trainLoss().subList(90, 100).stream().mapToDouble(LossCurvePlot.Point::loss).average()
                .orElseThrow();
        double val = r.valLoss().getLast().loss();
        System.out.printf("e2e: unigram entropy %.3f nats, first loss %.3f, last-10 mean %.3f, val %.3f%n", unigram,
                r.trainLoss().getFirst().loss(), last10, val);
        assertTrue(r.trainLoss().getFirst().loss() > Math.log(576) - 0.3, "starts near uniform ln(576)");
        assertTrue(last10 < unigram / 2, "train loss " + last10 + " vs unigram entropy " + unigram);
        assertTrue(val < unigram / 2, "val loss " + val + " vs unigram entropy " + unigram);

        Path gguf = dir.resolve("tiny.gguf");
        GgufExporter.export(CheckpointStore.read(r.lastCheckpoint()), gguf, DType.F32);
        Set<String> words = new HashSet<>(Arrays.asList(corpus.toLowerCase().split("[^a-z]+")));
        try (Llama llama = Llama.load(gguf)) {
            GenerationResult g = llama.generate("The llama", 24, SamplingParams.GREEDY, org.llama3j.generate.TokenListener.NONE);
            System.out.println("e2e generation: The llama" + g.text());
            List<String> generated = Arrays.stream(g.text().toLowerCase().split("[^a-z]+")).filter(w -> !w.isEmpty())
                    .toList();
            assertFalse(generated.isEmpty(), g.text());
            assertTrue(words.containsAll(generated), "generated words outside the corpus: " + g.text());
        }
    }

    /** −Σ p ln p over the token frequencies of the shards, in nats. */
    static double unigramEntropy(List<Path> files) throws IOException {
        long[] counts = null;
        long total = 0;
        for (Path f : files) {
            try (ShardReader r = ShardReader.open(f)) {
                if (counts == null) {
                    counts = new long[r.vocabSize()];
                }
                for (long i = 0; i < r.tokenCount(); i++) {
                    counts[r.token(i)]++;
                    total++;
                }
            }
        }
        assertEquals(true, total > 0);
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
