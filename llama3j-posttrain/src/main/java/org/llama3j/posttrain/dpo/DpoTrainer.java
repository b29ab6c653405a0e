package org.llama3j.posttrain.dpo;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.data.EncodedPair;
import org.llama3j.posttrain.data.PairBatches;
import org.llama3j.posttrain.data.PairSchedule;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.model.TrainingTarget;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.posttrain.run.RunSettings;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * DPO training: the reference is the starting policy, frozen; its reply log-probabilities are
 * computed once for every pair before the first step (and before a resume overwrites the policy).
 * With LoRA the starting policy is the base (a fresh adapter has B = 0), so the reference is the base.
 */
public final class DpoTrainer {

    private DpoTrainer() {
    }

    public static Map<String, Double> train(TrainingTarget policy, List<EncodedPair> train, List<EncodedPair> val,
                                            int pairsPerBatch, DpoConfig config, RunSettings settings, boolean resume,
                                            WorkerPool pool, Consumer<String> progress) throws IOException {
        ChatEncoder encoder = new ChatEncoder(policy.tokenizer());
        LlamaTrainingModel lm = policy.model();
        progress.accept("reference log-probs for " + train.size() + " + " + val.size() + " pairs");
        double[] refTrain = policy.evaluating(() -> referenceLogProbs(lm, train, pairsPerBatch, encoder, config));
        double[] refVal = policy.evaluating(() -> referenceLogProbs(lm, val, pairsPerBatch, encoder, config));
        PairSchedule schedule = new PairSchedule(train.size(), pairsPerBatch, settings.seed());
        PostTrainRun run = new PostTrainRun(settings, policy, Optional.empty(), pool, progress);
        if (resume) {
            run.resume();
        }
        return run.run(step -> {
            List<Integer> idx = schedule.batch(step);
            TokenBatch b = PairBatches.of(PairSchedule.select(train, idx), encoder::isFormatToken,
                    config.maskFormatTokens());
            DpoLoss.Result r = DpoLoss.forwardBackward(lm, b, gather(refTrain, idx), config);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", r.loss());
            m.put("dpoLoss", r.dpoLoss());
            m.put("nll", r.nll());
            m.put("rewardAccuracy", r.rewardAccuracy());
            return m;
        }, val.isEmpty() ? null : step -> evaluate(lm, val, refVal, pairsPerBatch, encoder, config));
    }

    /** Reference log-probs per row: {@code out[2i]} chosen, {@code out[2i+1]} rejected of pair i. */
    static double[] referenceLogProbs(LlamaTrainingModel ref, List<EncodedPair> pairs, int perBatch,
                                      ChatEncoder encoder, DpoConfig config) {
        double[] out = new double[2 * pairs.size()];
        for (List<Integer> idx : PairSchedule.inOrder(pairs.size(), perBatch)) {
            TokenBatch b = PairBatches.of(PairSchedule.select(pairs, idx), encoder::isFormatToken,
                    config.maskFormatTokens());
            double[] lp = DpoLoss.sequenceLogProbs(ref, b);
            System.arraycopy(lp, 0, out, 2 * idx.getFirst(), lp.length);
        }
        return out;
    }

    private static double[] gather(double[] perRow, List<Integer> pairs) {
        double[] out = new double[2 * pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[2 * i] = perRow[2 * pairs.get(i)];
            out[2 * i + 1] = perRow[2 * pairs.get(i) + 1];
        }
        return out;
    }

    /** Mean DPO loss and implicit-reward accuracy on held-out pairs (no gradient). */
    static Map<String, Double> evaluate(LlamaTrainingModel lm, List<EncodedPair> val, double[] refVal, int perBatch,
                                        ChatEncoder encoder, DpoConfig config) {
        double loss = 0;
        double correct = 0;
        for (List<Integer> idx : PairSchedule.inOrder(val.size(), perBatch)) {
            TokenBatch b = PairBatches.of(PairSchedule.select(val, idx), encoder::isFormatToken,
                    config.maskFormatTokens());
            double[] lp = DpoLoss.sequenceLogProbs(lm, b);
            double[] ref = gather(refVal, idx);
            for (int i = 0; i < idx.size(); i++) {
                double z = config.beta() * ((lp[2 * i] - ref[2 * i]) - (lp[2 * i + 1] - ref[2 * i + 1]));
                loss += DpoLoss.softplus(-z);
                correct += z > 0 ? 1 : 0;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("valLoss", loss / val.size());
        m.put("valRewardAccuracy", correct / val.size());
        return m;
    }
}
