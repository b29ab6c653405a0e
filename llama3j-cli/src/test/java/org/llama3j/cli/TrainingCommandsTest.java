package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-tokenizer → tokenize-corpus → train → export → generate, through the command line. */
class TrainingCommandsTest {

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

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
        Result t = run("train-tokenizer", "--input", corpus.toString(), "--vocab-size", "300", "--out", tok.toString());
        assertEquals(0, t.code(), t.err());
        // ten words and "." give only 25 merges: the command says the corpus ran out before 300
        assertTrue(t.err().contains("281 ranks (25 merges); the corpus ran out of pairs"), t.err());

        Path shards = dir.resolve("shards");
        Result c = run("tokenize-corpus", "--tokenizer", tok.toString(), "--input", corpus.toString(), "--out",
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
        Result tr = run("train", "--config", yaml.toString());
        assertEquals(0, tr.code(), tr.err());
        assertTrue(tr.err().contains("step 8/8"), tr.err());
        assertTrue(Files.size(dir.resolve("run/loss.png")) > 0);

        Path gguf = dir.resolve("m.gguf");
        Result ex = run("export", "--checkpoint", dir.resolve("run/checkpoints").toString(), "--out", gguf.toString(),
                "--type", "Q8_0");
        assertEquals(0, ex.code(), ex.err());
        assertTrue(ex.err().contains("step 8"), ex.err());

        Result g = run("generate", "-m", gguf.toString(), "-p", "the cat", "-n", "5", "-t", "1");
        assertEquals(0, g.code(), g.err());

        Path hf = dir.resolve("hf");
        Result exHf = run("export", "--checkpoint", dir.resolve("run/checkpoints").toString(), "--out", hf.toString(),
                "--format", "hf", "--type", "F32");
        assertEquals(0, exHf.code(), exHf.err());
        assertTrue(Files.exists(hf.resolve("config.json")) && Files.exists(hf.resolve("model.safetensors"))
                && Files.exists(hf.resolve("tokenizer.json")), exHf.err());
        Path f32 = dir.resolve("m32.gguf");
        assertEquals(0, run("export", "--checkpoint", dir.resolve("run/checkpoints").toString(), "--out",
                f32.toString()).code());
        Result g32 = run("generate", "-m", f32.toString(), "-p", "the cat", "-n", "5", "-t", "1", "--temperature", "0");
        Result gHf = run("generate", "-m", hf.toString(), "-p", "the cat", "-n", "5", "-t", "1", "--temperature", "0");
        assertEquals(0, gHf.code(), gHf.err());
        assertEquals(g32.out(), gHf.out());
        Result badType = run("export", "--checkpoint", dir.resolve("run/checkpoints").toString(), "--out",
                dir.resolve("hf2").toString(), "--format", "hf", "--type", "Q8_0");
        assertEquals(2, badType.code());
        assertTrue(badType.err().contains("--type must be F32, F16 or BF16 for --format hf"), badType.err());

        Files.writeString(yaml, Files.readString(yaml).replace("heads: 4,", "heads: 3,"));
        Result bad = run("train", "--config", yaml.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("model.heads (3) does not divide model.dim (32)"), bad.err());
    }
}
