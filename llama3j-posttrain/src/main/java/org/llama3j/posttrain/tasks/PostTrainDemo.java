package org.llama3j.posttrain.tasks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.data.SequenceRows;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.generate.CachedGenerator;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.recipe.RecipeLoader;
import org.llama3j.posttrain.recipe.RecipeRunner;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.checkpoint.CheckpointCodec;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.TrainStepper;
import org.llama3j.train.optim.AdamW;
import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.WarmupCosineSchedule;
import org.llama3j.train.optim.WeightDecayScope;
import org.llama3j.train.tokenizer.BpeModel;
import org.llama3j.train.tokenizer.BpeTrainer;

/**
 * The post-training demonstration, end to end on this machine: synthetic tasks → BPE tokenizer →
 * a small base model pretrained on the tasks as plain text ("Q: … A: …", no chat template) →
 * the shipped recipes (SFT → reward model → rejection sampling → SFT on the kept replies → DPO → PPO),
 * with held-out task accuracy (greedy, chat format) after every stage, written to {@code results.md}.
 * {@code sft-lora} is a side stage: LoRA SFT on the same base and data as {@code sft}, for comparison
 * (the later stages start from the full SFT model).
 *
 * <p>Usage: {@code PostTrainDemo WORK_DIR [pretrainSteps] [lastStage]} (see {@code scripts/posttrain-demo.sh}).
 */
public final class PostTrainDemo {

    static final String[] RECIPES = {"sft", "sft-lora", "reward", "rejection-sampling", "sft-rs", "dpo", "ppo"};
    private static final int MAX_NEW_TOKENS = 12;

    private PostTrainDemo() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path work = Path.of(args.length > 0 ? args[0] : "posttrain-demo").toAbsolutePath();
        int pretrainSteps = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        String lastStage = args.length > 2 ? args[2] : RECIPES[RECIPES.length - 1];
        Files.createDirectories(work.resolve("data"));
        List<TaskInstance> heldOut = SyntheticTasks.generate(200, 99);
        if (!Files.exists(work.resolve("base/model.l3jc"))) {
            prepare(work, pretrainSteps);
        }
        copyRecipes(work, false);
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("base (pretrained, before SFT)", accuracyRow(work.resolve("base/model.l3jc"), heldOut));
        for (String name : RECIPES) {
            Path recipe = work.resolve("recipes").resolve(name + ".yaml");
            long t0 = System.nanoTime();
            Map<String, Double> result = RecipeRunner.run(RecipeLoader.load(recipe), true,
                    line -> System.err.println("[" + name + "] " + line));
            String secs = String.format(java.util.Locale.ROOT, "%.0f s", (System.nanoTime() - t0) / 1e9);
            System.err.println("[" + name + "] done in " + secs + ": " + result);
            switch (name) {
                case "sft" -> rows.put("after SFT", accuracyRow(work.resolve("runs/sft/model.l3jc"), heldOut) + " | " + secs);
                case "sft-lora" -> rows.put("after SFT with LoRA instead (r 16, all-linear; side stage)",
                        accuracyRow(work.resolve("runs/sft-lora/model.l3jc"), heldOut) + " | " + secs);
                case "reward" -> rows.put("reward model (held-out pair accuracy "
                        + percent(lastEval(work.resolve("runs/reward/log.jsonl"), "valAccuracy")) + ")", "— | " + secs);
                case "rejection-sampling" -> rows.put("rejection sampling (mean RM score best-of-8 "
                        + String.format(java.util.Locale.ROOT, "%.2f vs %.2f", result.get("meanBestScore"),
                        result.get("meanScore")) + " mean)", "— | " + secs);
                case "sft-rs" -> rows.put("after rejection sampling (SFT on kept replies)",
                        accuracyRow(work.resolve("runs/sft-rs/model.l3jc"), heldOut) + " | " + secs);
                case "dpo" -> rows.put("after DPO", accuracyRow(work.resolve("runs/dpo/model.l3jc"), heldOut) + " | " + secs);
                case "ppo" -> rows.put("after PPO", accuracyRow(work.resolve("runs/ppo/model.l3jc"), heldOut) + " | " + secs);
                default -> throw new IllegalStateException(name);
            }
            writeTable(work, rows);
            if (name.equals(lastStage)) {
                break;
            }
        }
        System.out.println(Files.readString(work.resolve("results.md")));
    }

    /** Data, tokenizer, base model and the recipes in {@code work}. */
    static void prepare(Path work, int pretrainSteps) throws IOException {
        List<TaskInstance> corpus = SyntheticTasks.generate(6000, 1);
        DemoData.writeSft(SyntheticTasks.generate(800, 2), work.resolve("data/sft.jsonl"));
        DemoData.writeSft(SyntheticTasks.generate(100, 3), work.resolve("data/sft-val.jsonl"));
        DemoData.writePreferences(SyntheticTasks.generate(800, 4), work.resolve("data/prefs.jsonl"));
        DemoData.writePreferences(SyntheticTasks.generate(100, 5), work.resolve("data/prefs-val.jsonl"));
        DemoData.writePrompts(SyntheticTasks.generate(320, 6), work.resolve("data/prompts.jsonl"));
        List<String> docs = new ArrayList<>();
        BpeTrainer bpe = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        for (TaskInstance t : corpus) {
            String doc = "Q: " + t.prompt() + "\nA: " + t.answer();
            docs.add(doc);
            bpe.addText(doc);
        }
        BpeModel model = bpe.train(384);
        Tokenizer tok = Llama3Tokenizer.fromRanks(model.ranks());
        ByteArrayOutputStream tokBytes = new ByteArrayOutputStream();
        TiktokenFile.write(model.ranks(), tokBytes);
        ModelShape shape = new ModelShape(64, 3, 4, 2, 192, tok.vocabularySize(), 1e-5f, 10000, Optional.empty(),
                false, 64);
        LlamaParameters params = new LlamaParameters(shape);
        params.initialize(7, 0.02);
        pretrain(params, tok, docs, pretrainSteps);
        TrainingState state = new TrainingState(shape, 0, params.values().clone(), new float[params.size()],
                new float[params.size()], 0, LoaderPosition.START, 7, 0, 0, 0, new long[0], tokBytes.toByteArray());
        PostTrainRun.writeAtomically(work.resolve("base/model.l3jc"), out -> CheckpointCodec.write(state, out));
        copyRecipes(work, true);
    }

    /** The shipped recipes into {@code work/recipes} (all, or only those missing there). */
    static void copyRecipes(Path work, boolean overwrite) throws IOException {
        Files.createDirectories(work.resolve("recipes"));
        for (String name : RECIPES) {
            Path target = work.resolve("recipes").resolve(name + ".yaml");
            if (overwrite || !Files.exists(target)) {
                try (InputStream in = PostTrainDemo.class.getResourceAsStream("/org/llama3j/posttrain/recipes/" + name + ".yaml")) {
                    Files.write(target, in.readAllBytes());
                }
            }
        }
    }

    /** Plain next-token pretraining on the documents ({@code <|begin_of_text|> doc <|end_of_text|>}), packed. */
    static void pretrain(LlamaParameters params, Tokenizer tok, List<String> docs, int steps) {
        int eos = tok.specialId(Llama3Tokenizer.END_OF_TEXT);
        List<EncodedDialog> encoded = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            int[] ids = tok.encode(docs.get(i), true, false);
            int[] withEos = java.util.Arrays.copyOf(ids, ids.length + 1);
            withEos[ids.length] = eos;
            boolean[] all = new boolean[withEos.length];
            java.util.Arrays.fill(all, true);
            encoded.add(new EncodedDialog(withEos, all, i + 1));
        }
        int rows = 8;
        int seqLen = params.shape().maxSeqLen();
        try (WorkerPool pool = new WorkerPool(2)) {
            LlamaTrainingModel lm = new LlamaTrainingModel(params, pool);
            TrainStepper stepper = new TrainStepper(lm, new AdamW(params,
                    new AdamWConfig(0.9f, 0.95f, 1e-8f, 0.1f, WeightDecayScope.MATRICES), pool),
                    new WarmupCosineSchedule(3e-3f, 30, steps, 0.1f), 1.0);
            org.llama3j.posttrain.sft.SftBatches batches = new org.llama3j.posttrain.sft.SftBatches(encoded, rows,
                    seqLen, 7);
            for (int s = 0; s < steps; s++) {
                TokenBatch b = batches.batch(s);
                var r = stepper.step(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
                if ((s + 1) % 50 == 0) {
                    System.err.printf("[pretrain] step %d/%d loss %.4f%n", s + 1, steps, r.loss());
                }
            }
        }
    }

    static String accuracyRow(Path modelFile, List<TaskInstance> heldOut) throws IOException {
        PolicyModel m = PolicyModel.fromCheckpoint(modelFile);
        ChatEncoder enc = new ChatEncoder(m.tokenizer());
        try (WorkerPool pool = new WorkerPool(2)) {
            TaskEvaluation.Accuracy a = TaskEvaluation.evaluate(new CachedGenerator(m.params(), pool, enc), enc, heldOut,
                    MAX_NEW_TOKENS);
            StringBuilder sb = new StringBuilder(percent(a.overall()));
            for (TaskKind k : TaskKind.values()) {
                sb.append(" | ").append(percent(a.byKind().getOrDefault(k, 0.0)));
            }
            return sb.toString();
        }
    }

    static double lastEval(Path log, String key) throws IOException {
        double v = Double.NaN;
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(log)) {
            var n = json.readTree(line);
            if (n.path("type").asText().equals("eval") && n.has(key)) {
                v = n.get(key).asDouble();
            }
        }
        return v;
    }

    static String percent(double x) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * x);
    }

    static void writeTable(Path work, Map<String, String> rows) throws IOException {
        StringBuilder sb = new StringBuilder("| stage | overall | arithmetic | reversal | unit conversion | format | stage time |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        rows.forEach((k, v) -> {
            String cells = v.startsWith("—") ? "— | — | — | — | — | " + v.substring(v.indexOf('|') + 2) : v;
            if (!cells.contains(" s")) {
                cells += " | —";
            }
            sb.append("| ").append(k).append(" | ").append(cells).append(" |\n");
        });
        Files.writeString(work.resolve("results.md"), sb.toString());
    }
}
