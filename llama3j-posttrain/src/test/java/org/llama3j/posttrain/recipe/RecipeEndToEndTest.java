package org.llama3j.posttrain.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.posttrain.TinyModels;
import org.llama3j.posttrain.data.MalformedDatasetException;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.posttrain.tasks.DemoData;
import org.llama3j.posttrain.tasks.SyntheticTasks;
import org.llama3j.train.checkpoint.CheckpointCodec;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;

/** Every method through its recipe on a tiny model: outputs, resume, bad records, bad recipes. */
class RecipeEndToEndTest {

    @TempDir
    Path dir;

    private static final String COMMON = """
            threads: 1
            seed: 3
            """;
    private static final String TRAINING = """
            optimizer: {lr: 1.0e-3, warmupSteps: 1}
            log: {every: 1}
            """;

    @BeforeEach
    void setUp() throws IOException {
        PolicyModel m = TinyModels.chatModel(16, 1, 128, 5);
        int n = m.params().size();
        TrainingState s = new TrainingState(m.params().shape(), 0, m.params().values(), new float[n], new float[n], 0,
                LoaderPosition.START, 0, 0, 0, 0, new long[0], m.tokenizerBytes());
        PostTrainRun.writeAtomically(dir.resolve("base.l3jc"), out -> CheckpointCodec.write(s, out));
        DemoData.writeSft(SyntheticTasks.generate(12, 1), dir.resolve("sft.jsonl"));
        DemoData.writePreferences(SyntheticTasks.generate(8, 2), dir.resolve("prefs.jsonl"));
        DemoData.writePrompts(SyntheticTasks.generate(4, 3), dir.resolve("prompts.jsonl"));
    }

    private Map<String, Double> run(String name, String yaml, boolean resume) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml + COMMON + (yaml.contains("steps:") ? TRAINING : ""));
        return RecipeRunner.run(RecipeLoader.load(f), resume, line -> { });
    }

    @Test
    void allMethodsRunFromRecipesAndWriteTheirOutputs() throws IOException {
        Map<String, Double> sft = run("sft", """
                method: sft
                model: base.l3jc
                data: {train: [sft.jsonl, sft.jsonl], val: sft.jsonl}
                batchSize: 2
                steps: 3
                checkpoint: {every: 2, keep: 1}
                out: runs/sft
                """, false);
        assertTrue(sft.get("loss") > 0);
        assertTrue(Files.exists(dir.resolve("runs/sft/model.l3jc")) && Files.exists(dir.resolve("runs/sft/loss.png")));
        assertEquals(3, Files.readAllLines(dir.resolve("runs/sft/log.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"step\"")).count());

        Map<String, Double> rm = run("reward", """
                method: reward
                model: runs/sft/model.l3jc
                data: {train: prefs.jsonl, val: prefs.jsonl}
                batchSize: 4
                steps: 2
                checkpoint: {every: 1, keep: 1}
                out: runs/reward
                """, false);
        assertTrue(rm.containsKey("accuracy"));
        assertTrue(Files.exists(dir.resolve("runs/reward/head.bin")));
        try (var files = Files.list(dir.resolve("runs/reward/checkpoints"))) {  // keep 1: one checkpoint, its head
            assertEquals(List.of("ckpt-00000002.l3jc", "head-00000002.bin"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }

        Map<String, Double> rs = run("rs", """
                method: rejection-sampling
                model: runs/sft/model.l3jc
                rewardModel: runs/reward
                data: {train: prompts.jsonl}
                rejection: {samples: 3, maxNewTokens: 4, output: rs.jsonl}
                """, false);
        assertEquals(4.0, rs.get("prompts"));
        assertTrue(rs.get("meanBestScore") >= rs.get("meanScore"));

        run("dpo", """
                method: dpo
                model: runs/sft/model.l3jc
                data: {train: prefs.jsonl, val: prefs.jsonl}
                batchSize: 4
                steps: 2
                dpo: {beta: 0.1, nllWeight: 0.2, maskFormatTokens: true}
                out: runs/dpo
                """, false);
        assertTrue(Files.exists(dir.resolve("runs/dpo/model.l3jc")));

        Map<String, Double> ppo = run("ppo", """
                method: ppo
                model: runs/dpo/model.l3jc
                rewardModel: runs/reward
                data: {train: prompts.jsonl}
                batchSize: 2
                steps: 2
                ppo: {epochs: 2, maxNewTokens: 4}
                out: runs/ppo
                """, false);
        assertTrue(ppo.containsKey("policyLoss") && ppo.containsKey("score"));
        assertTrue(Files.exists(dir.resolve("runs/ppo/head.bin")));
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        String base = """
                method: dpo
                model: base.l3jc
                data: {train: prefs.jsonl}
                batchSize: 3
                checkpoint: {every: 2, keep: 2}
                """;
        run("whole", base + "steps: 4\nout: runs/whole\n", false);
        run("part", base + "steps: 2\nout: runs/part\n", false);
        run("part", base + "steps: 4\nout: runs/part\n", true);
        float[] whole = PolicyModel.fromCheckpoint(dir.resolve("runs/whole/model.l3jc")).params().values();
        float[] part = PolicyModel.fromCheckpoint(dir.resolve("runs/part/model.l3jc")).params().values();
        assertArrayEquals(whole, part);
    }

    @Test
    void badRecordsAreSkippedOrRejectedPerTheFlag() throws IOException {
        Files.writeString(dir.resolve("prefs.jsonl"), Files.readString(dir.resolve("prefs.jsonl"))
                + "{\"prompt\": \"What is 1 + 1?\", \"chosen\": \"2\", \"rejected\": \"2\"}\n");
        String yaml = """
                method: reward
                model: base.l3jc
                data: {train: prefs.jsonl, badRecords: %s}
                batchSize: 4
                steps: 2
                out: runs/rm
                """;
        MalformedDatasetException e = assertThrows(MalformedDatasetException.class,
                () -> run("rm", yaml.formatted("reject"), false));
        assertEquals(List.of(9), e.issues().stream().map(i -> i.line()).toList());
        assertTrue(e.getMessage().contains("prefs.jsonl:9: chosen == rejected"), e.getMessage());
        assertTrue(run("rm", yaml.formatted("skip"), false).containsKey("loss"));
    }

    @Test
    void recipeErrorsNameTheKey() throws IOException {
        RecipeException e = assertThrows(RecipeException.class, () -> run("x", """
                method: sft
                model: base.l3jc
                data: {train: sft.jsonl, shuffle: true}
                steps: 1
                out: runs/x
                """, false));
        assertTrue(e.getMessage().endsWith("unknown key data.shuffle"), e.getMessage());
        e = assertThrows(RecipeException.class, () -> run("y", """
                method: dpo
                model: base.l3jc
                data: {train: prefs.jsonl}
                steps: 2
                dpo: {beta: -1}
                out: runs/y
                """, false));
        assertTrue(e.getMessage().endsWith("dpo beta must be > 0, got -1.0"), e.getMessage());
        e = assertThrows(RecipeException.class, () -> run("z", """
                method: sfd
                model: base.l3jc
                """, false));
        assertTrue(e.getMessage().contains("method must be one of sft, reward, dpo, rejection-sampling, ppo"));
    }
}
