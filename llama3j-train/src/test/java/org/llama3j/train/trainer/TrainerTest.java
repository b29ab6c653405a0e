package org.llama3j.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.train.checkpoint.CheckpointStore;

/** Resume, fault rollback, corrupted checkpoints and failing checkpoint writes: all end in the same bits. */
class TrainerTest {

    private static final int STEPS = 12;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path shared;
    static Path shards;
    static float[] uninterrupted;
    static List<LossCurvePlot.Point> uninterruptedLoss;

    @TempDir
    Path dir;

    @BeforeAll
    static void uninterruptedRun() throws IOException {
        shards = TinyRun.prepare(shared, 4000, 320);
        RunSettings s = TinyRun.settings(shards, shared.resolve("full"), STEPS, 2, 6);
        try (Trainer t = new Trainer(s, TrainerHooks.NONE, QUIET)) {
            TrainingReport r = t.run(false);
            uninterrupted = t.parameters().values().clone();
            uninterruptedLoss = r.trainLoss();
            assertEquals(STEPS, r.finalStep());
            assertEquals(0, r.rollbacks());
        }
        assertTrue(Files.size(shared.resolve("full/loss.png")) > 1000);
        List<String> log = Files.readAllLines(shared.resolve("full/train-log.jsonl"));
        assertEquals(STEPS, log.stream().filter(l -> l.startsWith("{\"type\":\"step\"")).count());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("{\"type\":\"eval\",\"step\":5,\"valLoss\":")), log.toString());
    }

    private RunSettings settings(int checkpointEvery) {
        return TinyRun.settings(shards, dir.resolve("run"), STEPS, 2, checkpointEvery);
    }

    @Test
    void trainingMovesTheLoss() {
        float first = (float) uninterruptedLoss.getFirst().loss();
        float last = (float) uninterruptedLoss.getLast().loss();
        assertTrue(last < first - 0.5, "loss " + first + " → " + last);
    }

    @Test
    void resumeContinuesBitIdentically() throws IOException {
        RunSettings s = settings(6);
        try (Trainer t = new Trainer(s, TrainerHooks.NONE, QUIET)) {
            assertEquals(6, t.run(false, 6).finalStep());
        }
        try (Trainer t = new Trainer(s, TrainerHooks.NONE, QUIET)) {
            TrainingReport r = t.run(true);
            assertEquals(STEPS, r.finalStep());
            assertEquals(uninterruptedLoss.subList(6, STEPS), r.trainLoss());
            assertArrayEquals(uninterrupted, t.parameters().values());
        }
    }

    @Test
    void recomputationTrainsToTheSameBits() throws IOException {
        String yaml = TinyRun.yaml(shards, dir.resolve("run"), STEPS, 2, 6) + "recompute: true\n";
        RunSettings s = TrainerConfigLoader.parse(yaml, dir, "test.yaml");
        assertTrue(s.recompute());
        try (Trainer t = new Trainer(s, TrainerHooks.NONE, QUIET)) {
            assertEquals(uninterruptedLoss, t.run(false).trainLoss());
            assertArrayEquals(uninterrupted, t.parameters().values());
        }
    }

    @Test
    void corruptedLatestCheckpointFallsBackToThePreviousOne() throws IOException {
        RunSettings s = settings(3);
        try (Trainer t = new Trainer(s, TrainerHooks.NONE, QUIET)) {
            t.run(false, 6);
        }
        Path latest = s.checkpointDir().resolve(CheckpointStore.fileName(6));
        byte[] b = Files.readAllBytes(latest);
        b[200] ^= 0x40;
        Files.write(latest, b);
        try (Trainer t = new Trainer(s, TrainerHooks.NONE, QUIET)) {
            TrainingReport r = t.run(true);
            assertEquals(uninterruptedLoss.subList(3, STEPS), r.trainLoss());
            assertArrayEquals(uninterrupted, t.parameters().values());
        }
        String log = Files.readString(s.outDir().resolve("train-log.jsonl"));
        assertTrue(log.contains("checksum mismatch"), log);
    }

    @Test
    void failingCheckpointWriteKeepsTrainingAndThePreviousCheckpoint() throws IOException {
        RunSettings s = settings(3);
        CheckpointStore.Sink failAtSix = file -> {
            if (file.getFileName().toString().contains(CheckpointStore.fileName(6))) {
                throw new IOException("No space left on device");
            }
            return CheckpointStore.DURABLE.open(file);
        };
        CheckpointStore store = new CheckpointStore(s.checkpointDir(), 2, failAtSix);
        try (Trainer t = new Trainer(s, TrainerHooks.NONE, QUIET, store)) {
            TrainingReport r = t.run(false);
            assertEquals(1, r.failedCheckpoints());
            assertArrayEquals(uninterrupted, t.parameters().values());
        }
        assertEquals(List.of(s.checkpointDir().resolve(CheckpointStore.fileName(9)),
                s.checkpointDir().resolve(CheckpointStore.fileName(12))), store.list());
        try (var files = Files.list(s.checkpointDir())) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    @Test
    void nanGradientRollsBackAndSkipsTheBatch() throws IOException {
        RunSettings s = settings(3);
        TrainerHooks poison = new TrainerHooks() {
            @Override
            public void afterBackward(long batchIndex, float[] grads) {
                if (batchIndex == 4) {
                    grads[17] = Float.NaN;
                }
            }
        };
        float[] rolledBack;
        try (Trainer t = new Trainer(s, poison, QUIET)) {
            TrainingReport r = t.run(false);
            assertEquals(1, r.rollbacks());
            assertEquals(STEPS, r.finalStep());
            rolledBack = t.parameters().values().clone();
        }
        String log = Files.readString(s.outDir().resolve("train-log.jsonl"));
        assertTrue(log.contains("\"type\":\"fault\",\"step\":4,\"batch\":4"), log);
        assertTrue(log.contains("\"type\":\"rollback\",\"toStep\":3,\"skippedBatch\":4"), log);
        for (float w : rolledBack) {
            assertTrue(Float.isFinite(w));
        }
        // Same as a run that never saw batch 4.
        RunSettings clean = TinyRun.settings(shards, dir.resolve("clean"), STEPS, 2, 3);
        try (Trainer t = new Trainer(clean, TrainerHooks.NONE, QUIET)) {
            t.skipBatch(4);
            t.run(false);
            assertArrayEquals(t.parameters().values(), rolledBack);
        }
        assertTrue(!Arrays.equals(uninterrupted, rolledBack));
    }

    @Test
    void persistentFaultsStopTheRun() throws IOException {
        String yaml = TinyRun.yaml(shards, dir.resolve("run"), STEPS, 2, 3)
                .replace("spikeWarmup: 5}", "spikeWarmup: 5, maxRollbacks: 2}");
        RunSettings s = TrainerConfigLoader.parse(yaml, dir, "t.yaml");
        TrainerHooks alwaysNan = new TrainerHooks() {
            @Override
            public void afterBackward(long batchIndex, float[] grads) {
                if (batchIndex >= 2) {
                    grads[0] = Float.POSITIVE_INFINITY;
                }
            }
        };
        try (Trainer t = new Trainer(s, alwaysNan, QUIET)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class, () -> t.run(false));
            assertTrue(e.getMessage().contains("gradient norm is Infinity; giving up after 2 rollbacks"), e.getMessage());
        }
    }

    @Test
    void lossSpikeRollsBack() throws IOException {
        RunSettings s = settings(3);
        TrainerHooks spike = new TrainerHooks() {
            @Override
            public float observeLoss(long batchIndex, float loss) {
                return batchIndex == 8 ? loss * 4 : loss;
            }
        };
        try (Trainer t = new Trainer(s, spike, QUIET)) {
            TrainingReport r = t.run(false);
            assertEquals(1, r.rollbacks());
        }
        String log = Files.readString(s.outDir().resolve("train-log.jsonl"));
        assertTrue(log.contains("\"type\":\"fault\",\"step\":8,\"batch\":8"), log);
        assertTrue(log.contains("exceeds 3.0 × running mean"), log);
        assertTrue(log.contains("\"type\":\"rollback\",\"toStep\":6,\"skippedBatch\":8"), log);
    }
}
