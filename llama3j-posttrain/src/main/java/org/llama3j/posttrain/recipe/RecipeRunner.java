package org.llama3j.posttrain.recipe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.data.ChatRecords;
import org.llama3j.posttrain.data.DatasetEncoding;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.data.EncodedPair;
import org.llama3j.posttrain.data.PromptExample;
import org.llama3j.posttrain.dpo.DpoTrainer;
import org.llama3j.posttrain.generate.CachedGenerator;
import org.llama3j.posttrain.lora.LoraFineTuning;
import org.llama3j.posttrain.model.FullFineTuning;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.posttrain.model.TrainingTarget;
import org.llama3j.posttrain.ppo.PpoTrainer;
import org.llama3j.posttrain.rejection.RejectionSampler;
import org.llama3j.posttrain.reward.RewardModel;
import org.llama3j.posttrain.reward.RewardTrainer;
import org.llama3j.posttrain.sft.SftTrainer;
import org.llama3j.train.layers.WorkerPool;

/** Runs a {@link Recipe}: loads the model and data (enforcing the bad-record policy), then the method. */
public final class RecipeRunner {

    private RecipeRunner() {
    }

    public static Map<String, Double> run(Recipe r, boolean resume, Consumer<String> progress) throws IOException {
        PolicyModel model = load(r);
        int context = model.params().shape().maxSeqLen();
        int maxLength = r.maxLength() == 0 ? context : r.maxLength();
        if (maxLength > context) {
            throw new RecipeException(r.file() + ": data.maxLength " + maxLength + " exceeds the model's context "
                    + context);
        }
        ChatEncoder encoder = new ChatEncoder(model.tokenizer());
        int threads = r.run() == null ? 2 : r.run().threads();
        try (WorkerPool pool = new WorkerPool(threads)) {
            return switch (r.method()) {
                case SFT -> SftTrainer.train(target(r, model, pool), sft(r.train(), encoder, maxLength, r, progress),
                        sft(optional(r.val()), encoder, maxLength, r, progress), r.batchSize(), maxLength, r.run(), resume, pool,
                        progress);
                case REWARD -> {
                    ScalarHead head = new ScalarHead(model.params().shape().dim());
                    head.initialize(r.run().seed());
                    yield RewardTrainer.train(model, head, pairs(r.train(), encoder, maxLength, r, progress),
                            pairs(optional(r.val()), encoder, maxLength, r, progress), r.batchSize(), r.run(), resume, pool,
                            progress);
                }
                case DPO -> DpoTrainer.train(target(r, model, pool), pairs(r.train(), encoder, maxLength, r, progress),
                        pairs(optional(r.val()), encoder, maxLength, r, progress), r.batchSize(), r.dpo(), r.run(), resume,
                        pool, progress);
                case REJECTION_SAMPLING -> {
                    RewardModel rm = RewardModel.load(r.rewardModel(), pool);
                    CachedGenerator gen = new CachedGenerator(model.params(), pool, encoder);
                    List<RejectionSampler.Kept> kept = RejectionSampler.run(gen, encoder, rm,
                            prompts(r.train(), encoder, maxLength, r, progress), r.rejection(), progress);
                    int written = RejectionSampler.write(kept, r.output());
                    progress.accept("wrote " + written + " dialogs to " + r.output());
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("prompts", (double) kept.size());
                    m.put("written", (double) written);
                    m.put("meanBestScore", kept.stream().mapToDouble(RejectionSampler.Kept::score).average().orElse(0));
                    m.put("meanScore", kept.stream().mapToDouble(RejectionSampler.Kept::meanScore).average().orElse(0));
                    yield m;
                }
                case PPO -> {
                    ScalarHead valueHead = new ScalarHead(model.params().shape().dim());
                    valueHead.initialize(r.run().seed() + 1);
                    yield PpoTrainer.train(model, valueHead, RewardModel.load(r.rewardModel(), pool),
                            prompts(r.train(), encoder, maxLength, r, progress), r.ppo(), r.run(), resume, pool,
                            progress);
                }
            };
        }
    }

    /** The recipe's model: frozen (no gradient arrays) when only a LoRA adapter is trained on it. */
    private static PolicyModel load(Recipe r) throws IOException {
        try {
            return PolicyModel.load(r.model(), r.lora() != null);
        } catch (IllegalArgumentException e) {
            throw new RecipeException(r.file() + ": model " + r.model() + ": " + e.getMessage());
        }
    }

    /** Full fine-tuning, or with a {@code lora:} block a fresh adapter over the frozen model. */
    private static TrainingTarget target(Recipe r, PolicyModel model, WorkerPool pool) {
        if (r.lora() == null) {
            return new FullFineTuning(model, pool);
        }
        return LoraFineTuning.create(model, r.lora(), r.run().seed(), r.model().getFileName().toString(), pool);
    }

    private static List<EncodedDialog> sft(List<Path> files, ChatEncoder enc, int max, Recipe r,
                                           Consumer<String> progress) throws IOException {
        List<EncodedDialog> out = new java.util.ArrayList<>();
        for (Path file : files) {
            out.addAll(DatasetEncoding.sft(ChatRecords.readSft(file), enc, max, file.toString())
                    .apply(r.badRecords(), progress));
        }
        return out;
    }

    private static List<EncodedPair> pairs(List<Path> files, ChatEncoder enc, int max, Recipe r,
                                           Consumer<String> progress) throws IOException {
        List<EncodedPair> out = new java.util.ArrayList<>();
        for (Path file : files) {
            out.addAll(DatasetEncoding.pairs(ChatRecords.readPreferences(file), enc, max, file.toString())
                    .apply(r.badRecords(), progress));
        }
        return out;
    }

    private static List<PromptExample> prompts(List<Path> files, ChatEncoder enc, int max, Recipe r,
                                               Consumer<String> progress) throws IOException {
        List<PromptExample> out = new java.util.ArrayList<>();
        for (Path file : files) {
            out.addAll(DatasetEncoding.prompts(ChatRecords.readPrompts(file), enc, max, file.toString())
                    .apply(r.badRecords(), progress));
        }
        return out;
    }

    private static List<Path> optional(Path file) {
        return file == null ? List.of() : List.of(file);
    }
}
