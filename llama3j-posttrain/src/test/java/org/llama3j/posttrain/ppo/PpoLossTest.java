package org.llama3j.posttrain.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llama3j.posttrain.TinyModels;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.data.SequenceRows;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * The PPO loss's gradient against central differences of the loss itself, at a point where old
 * log-probs and values are shifted so some tokens are clipped and some not (policy and value).
 */
class PpoLossTest {

    @Test
    void gradientMatchesFiniteDifferencesOnBothBranches() {
        PolicyModel m = TinyModels.chatModel(16, 1, 16, 3);
        LlamaParameters p = m.params();
        LlamaTrainingModel lm = new LlamaTrainingModel(p, WorkerPool.serial());
        ScalarHead head = new ScalarHead(16);
        head.initialize(1);
        boolean[] reply = {false, false, false, true, true, true, true};
        TokenBatch b = SequenceRows.onePerRow(List.of(
                new EncodedDialog(new int[] {1, 5, 9, 20, 33, 7, 2}, reply, 1),
                new EncodedDialog(new int[] {4, 5, 6, 70, 8, 91, 10}, reply, 2)), 7);
        float[] lp = lm.forwardLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
        float[] hidden = lm.finalHidden();
        int n = lp.length;
        float[] old = new float[n];
        float[] values = new float[n];
        float[] adv = new float[n];
        float[] ret = new float[n];
        for (int i = 0; i < n; i++) {
            old[i] = lp[i] + (i % 3 == 0 ? 0.5f : i % 3 == 1 ? -0.4f : 0.05f);  // ratios beyond and within 1±ε
            adv[i] = i % 2 == 0 ? 1.3f : -0.7f;
            values[i] = head.score(hidden, i) + (i % 2 == 0 ? 0.5f : 0.05f);   // value clip active and not
            ret[i] = 0.3f * (i % 4) - 0.2f;
        }
        Rollouts ro = new Rollouts(b, old, old, values, adv, ret, new float[2]);
        PpoConfig d = PpoConfig.defaults();
        PpoConfig c = new PpoConfig(d.clipEps(), d.valueClip(), d.gamma(), d.lambda(), d.klCoef(), d.valueCoef(),
                d.epochs(), d.promptsPerStep(), d.maxNewTokens(), d.temperature(), d.whitenAdvantages(), true);
        p.zeroGrads();
        head.zeroGrads();
        PpoLoss.forwardBackward(lm, head, ro, c);
        float[] analytic = p.grads().clone();
        float[] w = p.values();
        double h = 1e-3;
        for (var view : p.views()) {
            for (int k = 0; k < 2; k++) {
                int i = view.offset() + (k * 7919 + 13) % view.size();
                float saved = w[i];
                w[i] = (float) (saved + h);
                double plus = loss(lm, head, ro, c);
                w[i] = (float) (saved - h);
                double minus = loss(lm, head, ro, c);
                w[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, analytic[i], 2e-3 + 2e-2 * Math.abs(numeric), view.name() + "[" + i + "]");
            }
        }
        float[] headGrad = head.grads().clone();
        for (int i : new int[] {0, 7, 16}) {
            float saved = head.values()[i];
            head.values()[i] = (float) (saved + h);
            double plus = loss(lm, head, ro, c);
            head.values()[i] = (float) (saved - h);
            double minus = loss(lm, head, ro, c);
            head.values()[i] = saved;
            assertEquals((plus - minus) / (2 * h), headGrad[i], 2e-3, "head[" + i + "]");
        }
    }

    private static double loss(LlamaTrainingModel lm, ScalarHead head, Rollouts ro, PpoConfig c) {
        LlamaParameters p = lm.parameters();
        float[] savedGrads = p.grads().clone();
        float[] savedHead = head.grads().clone();
        double l = PpoLoss.forwardBackward(lm, head, ro, c).loss();
        System.arraycopy(savedGrads, 0, p.grads(), 0, savedGrads.length);
        System.arraycopy(savedHead, 0, head.grads(), 0, savedHead.length);
        return l;
    }
}
