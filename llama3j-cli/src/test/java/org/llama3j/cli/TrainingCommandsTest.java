package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-tokenizer → tokenize-corpus → train → export → generate, through the command line. */
class TrainingCommandsTest {

    @TempDir
    Path dir;

    @Test
    void pretrainingPipeline() throws Exception {
        StringBuilder text = new StringBuilder();
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "far"};
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 1500; i++) {
            text.append(words[r.nextInt(words.length)]).append(i % 12 == 11 ? ".\n" : " ");
        }
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, text);
        Path tok = dir.resolve("tokenizer.model");
        CliTest.Run t = CliTest.run("train-tokenizer", "--input", corpus.toString(), "--vocab-size", "300", "--out", tok.toString());
        assertEquals(0, t.code(), t.err());
        // ten words and "." give only 25 merges: the command says the corpus ran out before 300
        assertTrue(t.err().contains("281 ranks (25 merges); the corpus ran out of pairs"), t.err());

        Path shards = dir.resolve("shards");
        CliTest.Run c = CliTest.run("tokenize-corpus", "--tokenizer", tok.toString(), "--input", corpus.toString(), "--out",
                shards.toString(), "--val-fraction", "0.1", "--separator", "\n");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("val 12 documents"), c.err());
        assertTrue(Files.exists(shards.resolve("train-00000.bin")) && Files.exists(shards.resolve("tokenizer.model")));

        Path yaml = dir.resolve("run.yaml");
        Files.writeString(yaml, """
                model: {dim: 32, layers: 1, heads: 4, kvHeads: 2, ffnDim: 64}
                data: {dir: shards, seqLen: 32}
                batch: {microBatch: 2}
                threads: 2
                optimizer: {lr: 1.0e-2, warmupSteps: 2}
                steps: 8
                eval: {every: 4, batches: 1}
                checkpoint: {every: 4}
                """);
        CliTest.Run tr = CliTest.run("train", "--config", yaml.toString());
        assertEquals(0, tr.code(), tr.err());
        assertTrue(tr.err().contains("step 8/8"), tr.err());
        assertTrue(Files.size(dir.resolve("run/loss.png")) > 0);

        Path gguf = dir.resolve("m.gguf");
        CliTest.Run ex = CliTest.run("export", "--checkpoint", dir.resolve("run/checkpoints").toString(), "--out", gguf.toString(),
                "--type", "Q8_0");
        assertEquals(0, ex.code(), ex.err());
        assertTrue(ex.err().contains("step 8"), ex.err());

        CliTest.Run g = CliTest.run("generate", "-m", gguf.toString(), "-p", "the cat", "-n", "5", "-t", "1");
        assertEquals(0, g.code(), g.err());

        Path hf = dir.resolve("hf");
        CliTest.Run exHf = CliTest.run("export", "--checkpoint", dir.resolve("run/checkpoints").toString(), "--out", hf.toString(),
                "--format", "hf", "--type", "F32");
        assertEquals(0, exHf.code(), exHf.err());
        assertTrue(Files.exists(hf.resolve("config.json")) && Files.exists(hf.resolve("model.safetensors"))
                && Files.exists(hf.resolve("tokenizer.json")), exHf.err());
        Path f32 = dir.resolve("m32.gguf");
        assertEquals(0, CliTest.run("export", "--checkpoint", dir.resolve("run/checkpoints").toString(), "--out",
                f32.toString()).code());
        CliTest.Run g32 = CliTest.run("generate", "-m", f32.toString(), "-p", "the cat", "-n", "5", "-t", "1", "--temperature", "0");
        CliTest.Run gHf = CliTest.run("generate", "-m", hf.toString(), "-p", "the cat", "-n", "5", "-t", "1", "--temperature", "0");
        assertEquals(0, gHf.code(), gHf.err());
        assertEquals(g32.out(), gHf.out());
        CliTest.Run badType = CliTest.run("export", "--checkpoint", dir.resolve("run/checkpoints").toString(), "--out",
                dir.resolve("hf2").toString(), "--format", "hf", "--type", "Q8_0");
        assertEquals(2, badType.code());
        assertTrue(badType.err().contains("--type must be F32, F16 or BF16 for --format hf"), badType.err());

        Files.writeString(yaml, Files.readString(yaml).replace("heads: 4,", "heads: 3,"));
        CliTest.Run bad = CliTest.run("train", "--config", yaml.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("model.heads (3) does not divide model.dim (32)"), bad.err());
    }
}
