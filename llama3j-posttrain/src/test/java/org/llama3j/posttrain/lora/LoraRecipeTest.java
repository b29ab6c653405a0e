package org.llama3j.posttrain.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.Llama;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.PeftAdapterConfig;
import org.llama3j.model.lora.Projection;
import org.llama3j.posttrain.TinyModels;
import org.llama3j.posttrain.data.BadRecordPolicy;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.data.ChatRecords;
import org.llama3j.posttrain.data.DatasetEncoding;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.recipe.RecipeException;
import org.llama3j.posttrain.recipe.RecipeLoader;
import org.llama3j.posttrain.recipe.RecipeRunner;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.posttrain.run.RunSettings;
import org.llama3j.posttrain.sft.SftBatches;
import org.llama3j.posttrain.sft.SftTrainer;
import org.llama3j.posttrain.tasks.DemoData;
import org.llama3j.posttrain.tasks.SyntheticTasks;
import org.llama3j.tensor.DType;
import org.llama3j.train.checkpoint.CheckpointCodec;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.export.GgufExporter;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.lora.BaseModelLoader;
import org.llama3j.train.lora.LoraTrainingModel;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.WeightDecayScope;

/**
 * LoRA through recipes ({@code lora:} block) on a tiny chat model: the shipped {@code sft-lora.yaml}, an
 * F32 and a Q8_0 GGUF base, the PEFT adapter read back by core, DPO with LoRA, exact resume, errors.
 */
class LoraRecipeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private PolicyModel base;

    @BeforeEach
    void setUp() throws IOException {
        // dim 32: rows of 32 so Q8_0 blocks fit every matrix
        base = TinyModels.chatModel(32, 1, 128, 5);
        int n = base.params().size();
        TrainingState s = new TrainingState(base.params().shape(), 0, base.params().values(), new float[n], new float[n], 0,
                LoaderPosition.START, 0, 0, 0, 0, new long[0], base.tokenizerBytes());
        Files.createDirectories(dir.resolve("base"));
        PostTrainRun.writeAtomically(dir.resolve("base/model.l3jc"), out -> CheckpointCodec.write(s, out));
        GgufExporter.export(s, dir.resolve("base/model-f32.gguf"), DType.F32);
        GgufExporter.export(s, dir.resolve("base/model-q8_0.gguf"), DType.Q8_0);
        Files.createDirectories(dir.resolve("data"));
        DemoData.writeSft(SyntheticTasks.generate(16, 1), dir.resolve("data/sft.jsonl"));
        DemoData.writeSft(SyntheticTasks.generate(6, 7), dir.resolve("data/sft-val.jsonl"));
        DemoData.writePreferences(SyntheticTasks.generate(8, 2), dir.resolve("data/prefs.jsonl"));
        Files.createDirectories(dir.resolve("recipes"));
    }

    /** The shipped recipe, its step counts scaled down to a test (everything else as shipped). */
    private Path shippedRecipe(String model, int steps) throws IOException {
        String yaml = Files.readString(Path.of("recipes/sft-lora.yaml"))
                .replaceFirst("(?m)^model: .*$", "model: " + model)
                .replaceFirst("(?m)^steps: .*$", "steps: " + steps)
                .replaceFirst("(?m)^batchSize: \\d+", "batchSize: 2")
                .replaceFirst("(?m)^log: .*$", "log: {every: 10}")
                .replaceFirst("(?m)^eval: .*$", "eval: {every: 20}")
                .replaceFirst("(?m)^checkpoint: .*$", "checkpoint: {every: 20, keep: 1}")
                .replaceFirst("(?m)^threads: .*$", "threads: 1");
        Path f = dir.resolve("recipes/sft-lora.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private Path recipe(String name, String yaml) throws IOException {
        Path f = dir.resolve("recipes/" + name + ".yaml");
        Files.writeString(f, yaml + "threads: 1\nseed: 3\nlog: {every: 1}\n");
        return f;
    }

    @Test
    void shippedSftLoraRecipeTrainsAnAdapterThatCoreReproduces() throws IOException {
        Path f = shippedRecipe("../base/model-f32.gguf", 60);
        var r = RecipeLoader.load(f);
        assertEquals(new LoraConfig(16, 32f, 0.05f, EnumSet.allOf(Projection.class)), r.lora().config());
        RecipeRunner.run(r, false, line -> { });
        Path out = dir.resolve("runs/sft-lora");
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("model.l3jc")), "merge: true writes the merged checkpoint");

        // loss decreases: held-out loss of the base vs the trained adapter (merged checkpoint)
        List<EncodedDialog> val = encode(dir.resolve("data/sft-val.jsonl"));
        double before = heldOutLoss(base, val);
        PolicyModel merged = PolicyModel.fromCheckpoint(out.resolve("model.l3jc"));
        // the tokenizer went GGUF -> tiktoken ranks -> merged checkpoint and still encodes the same ids
        assertArrayEquals(base.tokenizer().encode(TinyModels.TEXT), merged.tokenizer().encode(TinyModels.TEXT));
        double after = heldOutLoss(merged, val);
        System.out.printf("sft-lora (60 steps, r 16, all-linear): held-out loss %.4f -> %.4f%n", before, after);
        // measured 6.4325 -> 5.9635 (random tiny base, frozen embeddings and head: the adapter moves slowly)
        assertTrue(after < before - 0.3, before + " -> " + after);
        List<Double> evals = logValues(out, "eval", "valLoss");
        assertEquals(3, evals.size());
        assertTrue(evals.get(2) < evals.get(0), evals.toString());
        assertEquals(after, evals.get(2), 1e-4 * after, "the final eval is the merged model's loss");

        // the trainer's final state (checkpoint: adapter weights only) on the frozen base ...
        TrainingState ckpt = CheckpointStore.read(out.resolve("checkpoints/ckpt-00000060.l3jc"));
        int[] tokens = val.getFirst().tokens();
        try (WorkerPool pool = new WorkerPool(1);
             Llama llama = Llama.load(dir.resolve("base/model-f32.gguf"), out.resolve("adapter"))) {
            LoraTrainingModel trainer = LoraTrainingModel.create(BaseModelLoader.load(dir.resolve("base/model-f32.gguf")),
                    r.lora().config(), 0, pool);
            assertEquals(trainer.trainableParameters().size(), ckpt.weights().length);
            System.arraycopy(ckpt.weights(), 0, trainer.trainableParameters().values(), 0, ckpt.weights().length);
            float[] expected = trainer.logits(tokens, new int[tokens.length], 1, tokens.length);
            // ... and core's inference with the saved PEFT adapter as a side path (generate --lora)
            LlamaModel core = llama.model();
            float[] got = core.forward(core.newState(tokens.length), tokens, tokens.length, 0);
            float[] plain = new LlamaTrainingModel(base.params(), pool).logits(tokens, new int[tokens.length], 1,
                    tokens.length);
            double err = maxAbsDiff(expected, got) / maxAbs(expected);
            double effect = maxAbsDiff(expected, plain) / maxAbs(expected);
            System.out.printf("core side path vs trainer logits %.2e (adapter effect %.2e)%n", err, effect);
            assertTrue(err < 2e-5, "core vs trainer " + err);
            assertTrue(effect > 0.05, "the adapter must matter " + effect);
        }
    }

    @Test
    void quantizedBaseStaysFrozenWhileTheAdapterLearns() throws IOException {
        PolicyModel q8 = PolicyModel.load(dir.resolve("base/model-q8_0.gguf"), true);
        assertTrue(q8.params().isFrozen());
        float[] before = q8.params().values().clone();
        ChatEncoder enc = new ChatEncoder(q8.tokenizer());
        List<EncodedDialog> train = encode(dir.resolve("data/sft.jsonl"));
        List<EncodedDialog> val = encode(dir.resolve("data/sft-val.jsonl"));
        RunSettings settings = new RunSettings(40, 1e-2f, 2, 0.1f, 1.0, new AdamWConfig(0.9f, 0.95f, 1e-8f, 0f,
                WeightDecayScope.MATRICES), 10, 0, 0, 1, dir.resolve("runs/q8"), 4, 1);
        try (WorkerPool pool = new WorkerPool(1)) {
            LoraFineTuning t = LoraFineTuning.create(q8, new LoraSettings(new LoraConfig(4, 8f, 0f,
                    EnumSet.of(Projection.Q, Projection.V, Projection.UP)), false), 4, "model-q8_0.gguf", pool);
            double start = t.evaluating(() -> SftTrainer.meanLoss(t.model(), SftBatches.evaluationBatches(val, 2, 128)));
            SftTrainer.train(t, train, List.of(), 2, 128, settings, false, pool, line -> { });
            double end = SftTrainer.meanLoss(t.model(), SftBatches.evaluationBatches(val, 2, 128));
            System.out.printf("LoRA on a Q8_0 base: held-out loss %.4f -> %.4f%n", start, end);
            // measured 6.4326 -> 6.1249
            assertTrue(end < start - 0.15, start + " -> " + end);
            assertArrayEquals(before, q8.params().values(), "every base weight bit-identical");
            assertFalse(Files.exists(dir.resolve("runs/q8/model.l3jc")), "no merge requested");
            assertTrue(Files.isRegularFile(dir.resolve("runs/q8/adapter/adapter_config.json")));
        }
        assertEquals(dir.resolve("base/model-q8_0.gguf").getFileName().toString(),
                JSON.readTree(dir.resolve("runs/q8/adapter/adapter_config.json").toFile()).get("base_model_name_or_path")
                        .asText());
    }

    @Test
    void dpoWithLoraStartsAtTheReferenceAndLowersTheLoss() throws IOException {
        RecipeRunner.run(RecipeLoader.load(recipe("dpo-lora", """
                method: dpo
                model: ../base/model.l3jc
                data: {train: ../data/prefs.jsonl}
                batchSize: 8
                steps: 12
                optimizer: {lr: 1.0e-2, warmupSteps: 1}
                dpo: {beta: 0.5, nllWeight: 0.0}
                lora: {rank: 4, alpha: 8, targets: [q_proj, v_proj, o_proj]}
                out: ../runs/dpo-lora
                """)), false, line -> { });
        List<Double> dpo = logValues(dir.resolve("runs/dpo-lora"), "step", "dpoLoss");
        System.out.printf("DPO with LoRA: loss %.6f -> %.6f%n", dpo.getFirst(), dpo.getLast());
        // B = 0 at step 0: the policy is the reference, z = 0, loss = log 2 exactly
        assertEquals(Math.log(2), dpo.getFirst(), 1e-6);
        assertTrue(dpo.getLast() < dpo.getFirst() - 0.05, dpo.toString());
        assertTrue(Files.isRegularFile(dir.resolve("runs/dpo-lora/adapter/adapter_model.safetensors")));
    }

    @Test
    void resumedLoraRunEqualsUninterruptedRun() throws IOException {
        String yaml = """
                method: sft
                model: ../base/model-q8_0.gguf
                data: {train: ../data/sft.jsonl}
                batchSize: 2
                optimizer: {lr: 5.0e-3, warmupSteps: 1}
                lora: {rank: 4, alpha: 8, dropout: 0.2, targets: all-linear}
                checkpoint: {every: 2, keep: 2}
                """;
        RecipeRunner.run(RecipeLoader.load(recipe("whole", yaml + "steps: 4\nout: ../runs/whole\n")), false, l -> { });
        RecipeRunner.run(RecipeLoader.load(recipe("part", yaml + "steps: 2\nout: ../runs/part\n")), false, l -> { });
        RecipeRunner.run(RecipeLoader.load(recipe("part", yaml + "steps: 4\nout: ../runs/part\n")), true, l -> { });
        TrainingState whole = CheckpointStore.read(dir.resolve("runs/whole/checkpoints/ckpt-00000004.l3jc"));
        TrainingState part = CheckpointStore.read(dir.resolve("runs/part/checkpoints/ckpt-00000004.l3jc"));
        assertArrayEquals(whole.weights(), part.weights(), "adapter bit for bit (dropout masks included)");
        assertArrayEquals(whole.adamM(), part.adamM());
        assertArrayEquals(whole.adamV(), part.adamV());
        assertArrayEquals(Files.readAllBytes(dir.resolve("runs/whole/adapter/adapter_model.safetensors")),
                Files.readAllBytes(dir.resolve("runs/part/adapter/adapter_model.safetensors")));
        assertEquals(logValues(dir.resolve("runs/whole"), "step", "loss").subList(2, 4),
                logValues(dir.resolve("runs/part"), "step", "loss").subList(2, 4));

        // resuming under another adapter config is refused, naming the recorded config
        IOException e = assertThrows(IOException.class, () -> RecipeRunner.run(RecipeLoader.load(recipe("part",
                yaml.replace("rank: 4", "rank: 2") + "steps: 6\nout: ../runs/part\n")), true, l -> { }));
        assertTrue(e.getMessage().contains(PeftAdapterConfig.FILE) && e.getMessage().contains("rank=4"), e.getMessage());
        // a LoRA checkpoint is not a model to start from
        RecipeException notModel = assertThrows(RecipeException.class, () -> RecipeRunner.run(RecipeLoader.load(
                recipe("x", yaml.replace("../base/model-q8_0.gguf", "../runs/part/checkpoints/ckpt-00000004.l3jc")
                        + "steps: 2\nout: ../runs/x\n")), false, l -> { }));
        assertTrue(notModel.getMessage().contains("not a model checkpoint"), notModel.getMessage());
    }

    @Test
    void loraBlockErrorsNameTheKey() throws IOException {
        String base = """
                method: %s
                model: ../base/model.l3jc
                data: {train: ../data/sft.jsonl}
                steps: 1
                out: ../runs/e
                lora: %s
                """;
        RecipeException e = assertThrows(RecipeException.class,
                () -> RecipeLoader.load(recipe("e1", base.formatted("sft", "{rank: 4, targets: [q_proj, w_proj]}"))));
        assertTrue(e.getMessage().endsWith("lora.targets: 'w_proj' is not one of q_proj, k_proj, v_proj, o_proj,"
                + " gate_proj, up_proj, down_proj, all-linear"), e.getMessage());
        e = assertThrows(RecipeException.class, () -> RecipeLoader.load(recipe("e2", base.formatted("sft", "{rank: 0}"))));
        assertTrue(e.getMessage().endsWith("lora.rank must be >= 1, got 0"), e.getMessage());
        e = assertThrows(RecipeException.class, () -> RecipeLoader.load(recipe("e3", base.formatted("sft", "{dropout: 1.5}"))));
        assertTrue(e.getMessage().endsWith("LoRA dropout must be in [0, 1), got 1.5"), e.getMessage());
        e = assertThrows(RecipeException.class, () -> RecipeLoader.load(recipe("e4", base.formatted("sft", "{rnak: 4}"))));
        assertTrue(e.getMessage().endsWith("unknown key lora.rnak"), e.getMessage());
        e = assertThrows(RecipeException.class, () -> RecipeLoader.load(recipe("e5", base.formatted("reward", "{rank: 4}"))));
        assertTrue(e.getMessage().endsWith("lora: LoRA training is supported for methods sft and dpo, not reward"),
                e.getMessage());
    }

    private List<EncodedDialog> encode(Path file) throws IOException {
        return DatasetEncoding.sft(ChatRecords.readSft(file), new ChatEncoder(base.tokenizer()), 128, file.toString())
                .apply(BadRecordPolicy.REJECT, l -> { });
    }

    private static double heldOutLoss(PolicyModel m, List<EncodedDialog> val) {
        try (WorkerPool pool = new WorkerPool(1)) {
            return SftTrainer.meanLoss(new LlamaTrainingModel(m.params(), pool), SftBatches.evaluationBatches(val, 2, 128));
        }
    }

    private static List<Double> logValues(Path out, String type, String key) throws IOException {
        List<Double> v = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("log.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals(type) && n.has(key)) {
                v.add(n.get(key).asDouble());
            }
        }
        return v;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
