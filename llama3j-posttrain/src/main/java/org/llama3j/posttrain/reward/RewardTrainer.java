package org.llama3j.posttrain.reward;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.llama3j.posttrain.data.EncodedPair;
import org.llama3j.posttrain.data.PairBatches;
import org.llama3j.posttrain.data.PairSchedule;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.model.FullFineTuning;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.posttrain.run.RunSettings;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaTrainingModel;

/** Reward-model training: backbone + scalar head, Bradley–Terry loss, held-out pair accuracy. */
public final class RewardTrainer {

    private RewardTrainer() {
    }

    public static Map<String, Double> train(PolicyModel backbone, ScalarHead head, List<EncodedPair> train,
                                            List<EncodedPair> val, int pairsPerBatch, RunSettings settings,
                                            boolean resume, WorkerPool pool, Consumer<String> progress)
            throws IOException {
        FullFineTuning target = new FullFineTuning(backbone, pool);
        LlamaTrainingModel lm = target.model();
        PairSchedule schedule = new PairSchedule(train.size(), pairsPerBatch, settings.seed());
        PostTrainRun run = new PostTrainRun(settings, target, Optional.of(head), pool, progress);
        if (resume) {
            run.resume();
        }
        return run.run(step -> {
            TokenBatch b = PairBatches.of(PairSchedule.select(train, schedule.batch(step)), t -> false, false);
            RewardLoss.Result r = RewardLoss.forwardBackward(lm, head, b);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", r.loss());
            m.put("accuracy", r.accuracy());
            m.put("margin", r.margin());
            return m;
        }, val.isEmpty() ? null : step -> Map.of("valAccuracy", accuracy(lm, head, val, pairsPerBatch)));
    }

    /** Fraction of pairs whose chosen reply scores higher than the rejected one. */
    public static double accuracy(LlamaTrainingModel lm, ScalarHead head, List<EncodedPair> pairs, int perBatch) {
        double correct = 0;
        for (List<Integer> idx : PairSchedule.inOrder(pairs.size(), perBatch)) {
            TokenBatch b = PairBatches.of(PairSchedule.select(pairs, idx), t -> false, false);
            float[] s = RewardLoss.scores(lm, head, b);
            for (int i = 0; i < idx.size(); i++) {
                correct += s[2 * i] > s[2 * i + 1] ? 1 : 0;
            }
        }
        return correct / pairs.size();
    }
}
