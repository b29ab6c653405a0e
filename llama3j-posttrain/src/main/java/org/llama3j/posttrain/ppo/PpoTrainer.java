package org.llama3j.posttrain.ppo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.data.PairSchedule;
import org.llama3j.posttrain.data.PromptExample;
import org.llama3j.posttrain.data.SequenceRows;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.generate.CachedGenerator;
import org.llama3j.posttrain.generate.ReplySampler;
import org.llama3j.posttrain.model.FullFineTuning;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.posttrain.reward.RewardModel;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.posttrain.run.RunSettings;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * PPO with the generator in the loop: every {@code epochs} optimizer steps a new batch of prompts is
 * rolled out by sampling from the current policy ({@link CachedGenerator}: KV-cached, on the live
 * weights); each reply is scored by
 * the reward model at its last token, each token pays {@code −klCoef·(log π_old − log π_ref)} to the
 * frozen reference (the starting policy), GAE turns rewards and the value head's estimates into
 * advantages and returns, and {@link PpoLoss} updates policy and value head.
 */
public final class PpoTrainer {

    private PpoTrainer() {
    }

    public static Map<String, Double> train(PolicyModel policy, ScalarHead valueHead, RewardModel reward,
                                            List<PromptExample> prompts, PpoConfig c, RunSettings settings,
                                            boolean resume, WorkerPool pool, Consumer<String> progress)
            throws IOException {
        ChatEncoder encoder = new ChatEncoder(policy.tokenizer());
        LlamaTrainingModel reference = new LlamaTrainingModel(policy.copy().params(), pool);
        FullFineTuning target = new FullFineTuning(policy, pool);
        LlamaTrainingModel lm = target.model();
        CachedGenerator generator = new CachedGenerator(lm.parameters(), pool, encoder);
        PairSchedule schedule = new PairSchedule(prompts.size(), c.promptsPerStep(), settings.seed());
        PostTrainRun run = new PostTrainRun(settings, target, Optional.of(valueHead), pool, progress);
        if (resume) {
            run.resume();
        }
        Rollouts[] cache = new Rollouts[1];
        int[] cachedIteration = {-1};
        return run.run(step -> {
            int iteration = step / c.epochs();
            if (cachedIteration[0] != iteration) {
                List<PromptExample> batch = PairSchedule.select(prompts, schedule.batch(iteration));
                cache[0] = rollout(lm, valueHead, reference, reward, generator, encoder, batch, c,
                        new SplittableRandom(settings.seed() * 1_000_003L + iteration));
                cachedIteration[0] = iteration;
            }
            Rollouts ro = cache[0];
            PpoLoss.Result r = PpoLoss.forwardBackward(lm, valueHead, ro, c);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", r.loss());
            m.put("policyLoss", r.policyLoss());
            m.put("valueLoss", r.valueLoss());
            m.put("score", mean(ro.scores()));
            m.put("klRef", meanKl(ro));
            m.put("clipFraction", r.clipFraction());
            return m;
        }, null);
    }

    static Rollouts rollout(LlamaTrainingModel lm, ScalarHead valueHead, LlamaTrainingModel reference,
                            RewardModel reward, ReplySampler generator, ChatEncoder encoder,
                            List<PromptExample> prompts, PpoConfig c, SplittableRandom rnd) {
        List<EncodedDialog> dialogs = new ArrayList<>();
        List<int[]> full = new ArrayList<>();
        for (PromptExample p : prompts) {
            int[] prompt = encoder.encodePrompt(p.prompt());
            int[] reply = generator.sample(prompt, 1, c.maxNewTokens(), c.temperature(), rnd).getFirst();
            int[] tokens = java.util.Arrays.copyOf(prompt, prompt.length + reply.length);
            System.arraycopy(reply, 0, tokens, prompt.length, reply.length);
            boolean[] trained = new boolean[tokens.length];
            java.util.Arrays.fill(trained, prompt.length, tokens.length, true);
            dialogs.add(new EncodedDialog(tokens, trained, p.line()));
            full.add(tokens);
        }
        int longest = dialogs.stream().mapToInt(EncodedDialog::length).max().orElse(1);
        TokenBatch b = SequenceRows.onePerRow(dialogs, longest);
        float[] old = lm.forwardLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
        float[] hidden = lm.finalHidden();
        float[] values = new float[old.length];
        for (int n = 0; n < old.length; n++) {
            if (b.targets()[n] >= 0) {
                values[n] = valueHead.score(hidden, n);
            }
        }
        float[] ref = reference.forwardLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
        float[] scores = reward.score(full);
        float[] adv = new float[old.length];
        float[] ret = new float[old.length];
        for (int r = 0; r < b.rows(); r++) {
            List<Integer> pos = new ArrayList<>();
            for (int t = 0; t < b.seqLen(); t++) {
                if (b.targets()[r * b.seqLen() + t] >= 0) {
                    pos.add(r * b.seqLen() + t);
                }
            }
            double[] rewards = new double[pos.size()];
            double[] v = new double[pos.size()];
            for (int k = 0; k < pos.size(); k++) {
                int n = pos.get(k);
                rewards[k] = -c.klCoef() * ((double) old[n] - ref[n]);
                v[k] = values[n];
            }
            if (!pos.isEmpty()) {
                rewards[pos.size() - 1] += scores[r];
            }
            double[] a = new double[pos.size()];
            double[] g = new double[pos.size()];
            Gae.compute(rewards, v, c.gamma(), c.lambda(), a, g);
            for (int k = 0; k < pos.size(); k++) {
                adv[pos.get(k)] = (float) a[k];
                ret[pos.get(k)] = (float) g[k];
            }
        }
        if (c.whitenAdvantages()) {
            whiten(adv, b.targets());
        }
        return new Rollouts(b, old, ref, values, adv, ret, scores);
    }

    /** Mean 0, standard deviation 1 over reply positions (the batch-level normalization of PPO implementations). */
    static void whiten(float[] adv, int[] targets) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int i = 0; i < adv.length; i++) {
            if (targets[i] >= 0) {
                sum += adv[i];
                sq += (double) adv[i] * adv[i];
                n++;
            }
        }
        if (n < 2) {
            return;
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(sq / n - mean * mean, 0)) + 1e-8;
        for (int i = 0; i < adv.length; i++) {
            if (targets[i] >= 0) {
                adv[i] = (float) ((adv[i] - mean) / std);
            }
        }
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float x : a) {
            s += x;
        }
        return s / a.length;
    }

    private static double meanKl(Rollouts ro) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < ro.oldLogProbs().length; i++) {
            if (ro.batch().targets()[i] >= 0) {
                s += ro.oldLogProbs()[i] - ro.refLogProbs()[i];
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }
}
