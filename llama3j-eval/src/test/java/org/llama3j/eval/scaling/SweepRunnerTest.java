package org.llama3j.eval.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.train.data.ShardWriter;

/** A tiny sweep through the real trainer: steps bought by each budget, records, resume, bad configs. */
class SweepRunnerTest {
    @TempDir
    Path dir;

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private Path config() throws Exception {
        Path shards = dir.resolve("shards");
        Files.createDirectories(shards);
        Random rnd = new Random(1);
        for (String split : new String[] {"train", "val"}) {
            try (ShardWriter w = new ShardWriter(shards.resolve(split + "-00000.bin"), 64)) {
                for (int d = 0; d < 40; d++) {
                    int[] doc = new int[30];
                    for (int i = 0; i < doc.length; i++) {
                        doc[i] = (i * 7 + d + rnd.nextInt(3)) % 64;
                    }
                    w.addDocument(doc);
                }
            }
        }
        Path yaml = dir.resolve("sweep.yaml");
        Files.writeString(yaml, """
                data: {dir: shards, seqLen: 16}
                budgets: [3.0e6, 6.0e6]
                models:
                  - {dim: 8, layers: 1, heads: 1, kvHeads: 1, ffnDim: 16}
                  - {dim: 16, layers: 1, heads: 2, kvHeads: 1, ffnDim: 32}
                  - {dim: 32, layers: 1, heads: 2, kvHeads: 2, ffnDim: 64}
                batch: {microBatch: 2}
                eval: {batches: 2}
                threads: 1
                minSteps: 4
                out: out
                """);
        return yaml;
    }

    @Test
    void runsEveryPairWithTheStepsItsBudgetBuysAndResumes() throws Exception {
        Sweep sweep = SweepConfig.load(config());
        SweepResults r = SweepRunner.run(sweep, QUIET);
        // d32: N = 2·1024 (q, o) + 2·1024 (k, v) + 3·32·64 + 2·32 + 32 + 64·32 = 12,384 → 6N + 6·1·16·32 = 77,376
        // flops/token, 32 tokens/step → 3e6 buys 1.2 steps and 6e6 2.4, both < minSteps 4: skipped
        assertEquals(4, r.runs().size(), r.runs().toString());
        RunRecord first = r.runs().get(0);
        assertEquals("C3.00e+06-d8-L1", first.name());
        ModelSize m = first.model();
        assertEquals(64, m.vocab());
        int steps = (int) Math.round(3e6 / (m.trainingFlopsPerToken() * 32));
        assertEquals(steps, first.steps());
        assertEquals(steps * 32L, first.tokens());
        assertTrue(first.valLoss() > 0 && first.valLoss() < 6, "val loss " + first.valLoss());
        assertTrue(Double.isNaN(first.taskAcc()), "no task in this sweep");
        // a rerun finds every run done and trains nothing
        SweepResults again = SweepRunner.run(sweep, QUIET);
        assertEquals(r.runs(), again.runs());
        assertEquals(r.runs(), SweepResults.read(sweep.out().resolve(SweepRunner.RESULTS)).runs());
    }

    @Test
    void badConfigsNameTheKey() throws Exception {
        Path yaml = config();
        Files.writeString(yaml, Files.readString(yaml).replace("budgets: [3.0e6, 6.0e6]", "budgets: [3.0e6]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(yaml));
        assertTrue(e.getMessage().contains("budgets needs at least 2"), e.getMessage());
        Files.writeString(yaml, Files.readString(yaml).replace("budgets: [3.0e6]", "budgets: [3.0e6, 1e7]\nbudget: 1"));
        e = assertThrows(IllegalArgumentException.class, () -> SweepConfig.load(yaml));
        assertTrue(e.getMessage().contains("'budget'"), e.getMessage());
    }

    @Test
    void verificationWidensTheSweepShapeNearestThePredictedSize() {
        var shapes = java.util.List.of(new SweepConfig.Shape(4, 1, 1, 1, 12), new SweepConfig.Shape(32, 2, 2, 1, 96));
        // nearest template to 120,000 is d32 L2 (49,312); widened by 16-wide heads, kv heads = heads / 2,
        // FFN 3·dim: d48 (3 heads, kv 1) = 91,… ; d64 (4 heads, kv 2) = 2·(2·4096 + 2·2048 + 3·64·192 + 128) + 64 + 768·64
        ModelSize m = Verification.nearestShape(shapes, 768, 64, 120_000);
        assertEquals(new ModelSize(64, 2, 4, 2, 192, 768, 64), m);
        assertEquals(2L * (2 * 4096 + 2 * 2048 + 3 * 64 * 192 + 128) + 64 + 768 * 64, m.parameters());
        // below the grid the smallest shape is narrowed or kept: d4 is one head already
        assertEquals(4, Verification.nearestShape(shapes, 768, 64, 1_000).dim());
    }
}
