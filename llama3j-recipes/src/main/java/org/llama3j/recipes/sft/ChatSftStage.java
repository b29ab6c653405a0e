package org.llama3j.recipes.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llama3j.chat.Message;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.recipe.RecipeLoader;
import org.llama3j.posttrain.recipe.RecipeRunner;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.posttrain.sft.SftBatches;
import org.llama3j.posttrain.sft.SftTrainer;
import org.llama3j.train.checkpoint.CheckpointCodec;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * The chat fine-tuning stage of the default model: {@link SyntheticChat} dialogues → an SFT recipe of
 * {@code llama3j-posttrain} (assistant-only loss, packed rows) → the fine-tuned state.
 *
 * <p>Plain corpus documents can be mixed in ({@code replay}): trained on every token as in pretraining, they keep
 * the model's plain-text continuation ({@code llama3j generate}) from collapsing into chat replies that end at the
 * first full stop — replay of pretraining data, as InstructGPT's "PPO-ptx" (Ouyang et al. 2022, §3.5) mixes
 * pretraining gradients into fine-tuning to limit regressions on public NLP data.
 *
 * <p>Directory layout: {@code base.l3jc} (the starting weights), {@code train.jsonl}, {@code val.jsonl},
 * {@code sft.yaml} (so {@code llama3j finetune --recipe sft.yaml} reruns exactly this stage),
 * {@code run/} ({@code log.jsonl}, {@code loss.png}, checkpoints, {@code model.l3jc}). A finished stage
 * ({@code run/model.l3jc} present) is not redone; an interrupted one resumes from its checkpoint.
 */
public final class ChatSftStage {

    /**
     * @param steps      optimizer steps
     * @param batchRows  packed rows of the model's context length per step
     * @param lr         peak learning rate (warmup, cosine decay to a tenth)
     * @param train      training dialogues generated (seed {@code seed}); those longer than the context are dropped
     * @param val        validation dialogues generated (seed {@code seed + 1}), the same way
     */
    public record Settings(int steps, int batchRows, double lr, int train, int val, long seed) {
        public Settings {
            if (steps < 1 || batchRows < 1 || train < 1 || val < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("SFT settings must be positive: " + steps + " steps, " + batchRows
                        + " rows, lr " + lr + ", " + train + "/" + val + " dialogues");
            }
        }

        int warmupSteps() {
            return Math.min(10, steps / 10);
        }
    }

    /**
     * @param replayDocs    plain documents mixed into the training data (those that fit the context)
     * @param valLossBefore mean assistant-token loss of the validation dialogues under the starting weights
     * @param valLossAfter  the same under the fine-tuned weights
     * @param firstLoss     the first step's training loss
     * @param lastLoss      the last step's training loss
     */
    public record Result(TrainingState state, int sentences, int trainDialogs, int replayDocs, int valDialogs, int steps,
                         double valLossBefore, double valLossAfter, double firstLoss, double lastLoss, double seconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatSftStage() {
    }

    public static Result run(TrainingState base, List<TopicSentence> sentences, Path dir, Settings s, PrintStream log)
            throws IOException {
        return run(base, sentences, List.of(), dir, s, log);
    }

    /** @param replay plain documents trained on every token, mixed with the dialogues (those too long are dropped) */
    public static Result run(TrainingState base, List<TopicSentence> sentences, List<String> replay, Path dir, Settings s,
                             PrintStream log) throws IOException {
        Files.createDirectories(dir);
        SyntheticChat chat = new SyntheticChat(sentences);
        PolicyModel start = PolicyModel.fromState(base, "base");
        List<SyntheticChat.Dialog> train = fitting(chat.generate(s.train(), s.seed()), start);
        List<SyntheticChat.Dialog> val = fitting(chat.generate(s.val(), s.seed() + 1), start);
        List<String> texts = fittingTexts(replay, start);
        Path model = dir.resolve("run/model.l3jc");
        double before = validationLoss(start, val);
        long t0 = System.nanoTime();
        if (!Files.exists(model)) {
            PostTrainRun.writeAtomically(dir.resolve("base.l3jc"), out -> CheckpointCodec.write(base, out));
            writeJsonl(train, texts, dir.resolve("train.jsonl"));
            writeJsonl(val, List.of(), dir.resolve("val.jsonl"));
            Files.writeString(dir.resolve("sft.yaml"), recipeYaml(s), StandardCharsets.UTF_8);
            RecipeRunner.run(RecipeLoader.load(dir.resolve("sft.yaml")), true, line -> log.println("      " + line));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        TrainingState tuned = CheckpointStore.read(model);
        double after = validationLoss(PolicyModel.fromState(tuned, model.toString()), val);
        double[] losses = firstAndLastLoss(dir.resolve("run/log.jsonl"));
        log.printf("      %d sentences, %d/%d dialogues + %d replayed documents, %d steps: loss %.4f → %.4f, "
                + "validation %.4f → %.4f%n", sentences.size(), train.size(), val.size(), texts.size(), s.steps(), losses[0],
                losses[1], before, after);
        return new Result(tuned, sentences.size(), train.size(), texts.size(), val.size(), s.steps(), before, after,
                losses[0], losses[1], seconds);
    }

    /** The dialogues that fit the model's context (a long corpus sentence in a 4-turn dialogue may not). */
    static List<SyntheticChat.Dialog> fitting(List<SyntheticChat.Dialog> dialogs, PolicyModel m) {
        ChatEncoder enc = new ChatEncoder(m.tokenizer());
        int context = m.params().shape().maxSeqLen();
        return dialogs.stream().filter(d -> enc.encodeDialog(d.messages(), 0).tokens().length <= context).toList();
    }

    /** The documents that fit the model's context with their begin and end tokens. */
    static List<String> fittingTexts(List<String> texts, PolicyModel m) {
        ChatEncoder enc = new ChatEncoder(m.tokenizer());
        int context = m.params().shape().maxSeqLen();
        return texts.stream().filter(t -> enc.encodeText(t, 0).tokens().length <= context).toList();
    }

    /** The recipe the stage runs (paths relative to the stage directory). */
    static String recipeYaml(Settings s) {
        return """
                method: sft
                model: base.l3jc
                data: {train: train.jsonl, val: val.jsonl, badRecords: reject}
                batchSize: %d
                steps: %d
                optimizer: {lr: %s, warmupSteps: %d, minLrRatio: 0.1, beta1: 0.9, beta2: 0.95, eps: 1.0e-8,
                            weightDecay: 0.0, gradClip: 1.0}
                log: {every: 10}
                eval: {every: %d}
                checkpoint: {every: 50, keep: 2}
                threads: 2
                seed: %d
                out: run
                """.formatted(s.batchRows(), s.steps(), String.format(java.util.Locale.ROOT, "%.1e", s.lr()), s.warmupSteps(), Math.max(1, s.steps() / 5),
                s.seed());
    }

    /** Mean loss over the assistant tokens of the dialogues (the SFT objective), on one thread. */
    static double validationLoss(PolicyModel m, List<SyntheticChat.Dialog> dialogs) {
        ChatEncoder enc = new ChatEncoder(m.tokenizer());
        int seqLen = m.params().shape().maxSeqLen();
        List<EncodedDialog> encoded = new ArrayList<>();
        for (int i = 0; i < dialogs.size(); i++) {
            encoded.add(enc.encodeDialog(dialogs.get(i).messages(), i + 1));
        }
        try (WorkerPool pool = new WorkerPool(1)) {
            return SftTrainer.meanLoss(new LlamaTrainingModel(m.params(), pool),
                    SftBatches.evaluationBatches(encoded, 8, seqLen));
        }
    }

    static void writeJsonl(List<SyntheticChat.Dialog> dialogs, List<String> texts, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (SyntheticChat.Dialog d : dialogs) {
            List<Map<String, String>> messages = new ArrayList<>();
            for (Message m : d.messages()) {
                Map<String, String> o = new LinkedHashMap<>();
                o.put("role", m.role().name().toLowerCase(java.util.Locale.ROOT));
                o.put("content", m.content());
                messages.add(o);
            }
            sb.append(JSON.writeValueAsString(Map.of("messages", messages))).append('\n');
        }
        for (String t : texts) {
            sb.append(JSON.writeValueAsString(Map.of("text", t))).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        PostTrainRun.writeAtomically(file, out -> out.write(bytes));
    }

    private static double[] firstAndLastLoss(Path logFile) throws IOException {
        double first = Double.NaN;
        double last = Double.NaN;
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("type").asText().equals("step") && n.has("loss")) {
                if (Double.isNaN(first)) {
                    first = n.get("loss").asDouble();
                }
                last = n.get("loss").asDouble();
            }
        }
        return new double[] {first, last};
    }
}
