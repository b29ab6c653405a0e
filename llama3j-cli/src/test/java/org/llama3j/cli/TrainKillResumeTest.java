package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.CorpusTokenizer;
import org.llama3j.train.tokenizer.TokenizerTraining;

/**
 * The fault test of issue #4 with real process deaths: {@code llama3j train --resume} runs in a
 * child JVM (this JVM's {@code java.home} and class path) and is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) five times, each at a random moment: after a random number
 * (1–4) of optimizer steps of that session and a random further 0–25 ms, so kills land inside
 * forward/backward, AdamW and checkpoint writes alike. A last {@code --resume} runs to the end.
 * Its final checkpoint (weights and both AdamW moments) must equal, bit for bit, that of an
 * uninterrupted in-process run, and the log's loss per step (last entry wins, as the plot reads
 * it) must equal the uninterrupted losses.
 */
class TrainKillResumeTest {

    private static final int STEPS = 24;
    private static final int KILLS = 5;
    private static final Pattern STEP = Pattern.compile("step (\\d+)/" + STEPS);

    @TempDir
    Path dir;

    @Test
    void killedFiveTimesAndResumedEndsWithTheUninterruptedWeights() throws Exception {
        Path shards = prepareShards();
        Path reference = writeConfig("reference", shards);
        Path killed = writeConfig("killed", shards);
        assertEquals(0, Main.run("train", "--config", reference.toString()), "uninterrupted run failed");
        TrainingState expected = latest(reference.getParent());

        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        List<String> kills = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            int stepsThisSession = 1 + random.nextInt(4);
            int extraMillis = random.nextInt(26);
            kills.add(killAfter(killed, stepsThisSession, extraMillis, seed));
        }
        Child last = start(killed);
        assertTrue(last.process.waitFor(120, TimeUnit.SECONDS), "final --resume did not finish; kills " + kills);
        assertEquals(0, last.process.exitValue(), "final --resume failed (seed " + seed + "): " + last.err());

        TrainingState actual = latest(killed.getParent());
        String context = "seed " + seed + ", kills " + kills;
        assertEquals(STEPS, actual.step(), context);
        assertArrayEquals(expected.weights(), actual.weights(), context);
        assertArrayEquals(expected.adamM(), actual.adamM(), context);
        assertArrayEquals(expected.adamV(), actual.adamV(), context);
        assertEquals(expected.batchesDrawn(), actual.batchesDrawn(), context);
        assertEquals(expected.loader(), actual.loader(), context);
        assertEquals(lossPerStep(reference.getParent()), lossPerStep(killed.getParent()), context);
        System.err.println("TrainKillResumeTest: " + context);
    }

    /** Starts {@code train --resume}, waits for {@code steps} more steps and {@code extraMillis}, SIGKILLs it. */
    private String killAfter(Path config, int steps, int extraMillis, long seed) throws Exception {
        Child c = start(config);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (c.stepsSeen.get() < steps) {
            if (!c.process.isAlive()) {
                fail("child exited (" + c.process.exitValue() + ") before " + steps + " steps (seed " + seed
                        + "); the run may have ended early: " + c.err());
            }
            if (System.nanoTime() > deadline) {
                c.process.destroyForcibly();
                fail("child made no progress in 120 s: " + c.err());
            }
            Thread.sleep(1);
        }
        Thread.sleep(extraMillis);
        assertTrue(c.process.isAlive(), "child finished before its kill (seed " + seed + ")");
        c.process.destroyForcibly();
        assertTrue(c.process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(128 + 9, c.process.exitValue(), "not ended by SIGKILL");
        boolean inCheckpoint;
        try (Stream<Path> files = Files.list(config.getParent().resolve("checkpoints"))) {
            inCheckpoint = files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
        return "at step " + c.lastStep.get() + "+" + extraMillis + "ms" + (inCheckpoint ? " (mid-checkpoint)" : "");
    }

    /** A child JVM running {@code llama3j train --config CONFIG --resume}; stderr is parsed for progress. */
    private record Child(Process process, AtomicInteger stepsSeen, AtomicInteger lastStep, ByteArrayOutputStream log) {
        String err() {
            synchronized (log) {
                return log.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static Child start(Path config) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--config", config.toString(), "--resume");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Child c = new Child(p, new AtomicInteger(), new AtomicInteger(-1), new ByteArrayOutputStream());
        Thread reader = new Thread(() -> readProgress(p.getErrorStream(), c), "kill-test-stderr");
        reader.setDaemon(true);
        reader.start();
        return c;
    }

    /** Counts the progress lines ({@code \rstep N/M ...}) of the child as they arrive. */
    private static void readProgress(InputStream err, Child c) {
        StringBuilder line = new StringBuilder();
        try {
            int b;
            while ((b = err.read()) >= 0) {
                synchronized (c.log) {
                    c.log.write(b);
                }
                if (b == '\r' || b == '\n') {
                    line.setLength(0);
                    continue;
                }
                line.append((char) b);
                Matcher m = STEP.matcher(line);
                if (line.length() > 8 && line.charAt(line.length() - 1) == ' ' && m.lookingAt()) {
                    c.lastStep.set(Integer.parseInt(m.group(1)));
                    c.stepsSeen.incrementAndGet();
                    line.setLength(0);
                }
            }
        } catch (IOException e) {
            // the child died; its stream closed
        }
    }

    private Path prepareShards() throws IOException {
        StringBuilder text = new StringBuilder();
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "far", "sun", "red"};
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 3000; i++) {
            text.append(words[r.nextInt(words.length)]).append(i % 10 == 9 ? ".\n" : " ");
        }
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, text);
        Path tok = dir.resolve("tokenizer.model");
        TokenizerTraining.train(List.of(corpus), null, 300, tok);
        Path shards = dir.resolve("shards");
        CorpusTokenizer.tokenize(Llama3Tokenizer.load(tok), List.of(corpus), "\n", shards, 0.1, 4000);
        Files.copy(tok, shards.resolve("tokenizer.model"));
        return shards;
    }

    private Path writeConfig(String name, Path shards) throws IOException {
        Path runDir = Files.createDirectories(dir.resolve(name));
        Path yaml = runDir.resolve("run.yaml");
        Files.writeString(yaml, """
                model: {dim: 32, layers: 2, heads: 4, kvHeads: 2, ffnDim: 64}
                data: {dir: %s, seqLen: 32}
                batch: {microBatch: 2, gradAccumulation: 2}
                threads: 2
                optimizer: {lr: 1.0e-2, warmupSteps: 3}
                steps: %d
                eval: {every: 8, batches: 1}
                checkpoint: {every: 2, keep: 2}
                out: .
                """.formatted(shards, STEPS));
        return yaml;
    }

    private static TrainingState latest(Path runDir) throws IOException {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        return new CheckpointStore(runDir.resolve("checkpoints"), 1).loadLatestValid(quiet::println).orElseThrow()
                .state();
    }

    /** Loss per step from {@code train-log.jsonl}, the last entry of each step winning (replays after a kill). */
    private static TreeMap<Long, Double> lossPerStep(Path runDir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        TreeMap<Long, Double> loss = new TreeMap<>();
        for (String line : Files.readAllLines(runDir.resolve("train-log.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.path("type").asText().equals("step")) {
                loss.put(n.get("step").asLong(), n.get("loss").asDouble());
            }
        }
        assertEquals(STEPS, loss.size());
        return loss;
    }
}
