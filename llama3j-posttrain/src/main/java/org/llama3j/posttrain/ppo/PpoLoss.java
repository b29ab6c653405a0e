package org.llama3j.posttrain.ppo;

import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * The PPO objective over all reply tokens of a rollout batch (token means), policy and value head
 * sharing the backbone:
 * <pre>
 * ρ_t  = exp(log π(a_t) − log π_old(a_t))
 * L_pg = mean_t max(−A_t·ρ_t, −A_t·clip(ρ_t, 1−ε, 1+ε))
 * L_v  = mean_t ½·max((V_t − R_t)², (V_old,t + clip(V_t − V_old,t, −ε_v, ε_v) − R_t)²)
 * L    = L_pg + c_v·L_v
 * </pre>
 * ∂L/∂log π(a_t) is {@code −A_t·ρ_t/N} where the unclipped term is the max, else 0; the value gradient
 * enters the backbone through the head at the position that predicts a_t (only with
 * {@link PpoConfig#valueIntoBackbone}; otherwise the head alone learns from it).
 */
public final class PpoLoss {

    public record Result(double loss, double policyLoss, double valueLoss, double clipFraction, double approxKl) {
    }

    private PpoLoss() {
    }

    public static Result forwardBackward(LlamaTrainingModel policy, ScalarHead valueHead, Rollouts ro, PpoConfig c) {
        TokenBatch b = ro.batch();
        float[] lp = policy.forwardLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
        float[] hidden = policy.finalHidden();
        int count = 0;
        for (int t : b.targets()) {
            count += t >= 0 ? 1 : 0;
        }
        float[] dLogProbs = new float[lp.length];
        float[] dHidden = new float[hidden.length];
        float[] valueDHidden = c.valueIntoBackbone() ? dHidden : new float[hidden.length];
        double pg = 0;
        double vf = 0;
        double clipped = 0;
        double kl = 0;
        for (int n = 0; n < lp.length; n++) {
            if (b.targets()[n] < 0) {
                continue;
            }
            double a = ro.advantages()[n];
            double logRatio = (double) lp[n] - ro.oldLogProbs()[n];
            double ratio = Math.exp(logRatio);
            double clippedRatio = Math.clamp(ratio, 1 - c.clipEps(), 1 + c.clipEps());
            double unclippedLoss = -a * ratio;
            double clippedLoss = -a * clippedRatio;
            if (unclippedLoss >= clippedLoss) {
                pg += unclippedLoss;
                dLogProbs[n] = (float) (-a * ratio / count);
            } else {
                pg += clippedLoss;
                clipped++;
            }
            kl += -logRatio;

            double v = valueHead.score(hidden, n);
            double vOld = ro.oldValues()[n];
            double ret = ro.returns()[n];
            double vClipped = vOld + Math.clamp(v - vOld, -c.valueClip(), c.valueClip());
            double e1 = (v - ret) * (v - ret);
            double e2 = (vClipped - ret) * (vClipped - ret);
            double dv;
            if (e1 >= e2) {
                vf += 0.5 * e1;
                dv = v - ret;
            } else {
                vf += 0.5 * e2;
                dv = Math.abs(v - vOld) < c.valueClip() ? vClipped - ret : 0;
            }
            valueHead.backward(hidden, n, (float) (c.valueCoef() * dv / count), valueDHidden);
        }
        policy.backwardFromLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen(), dLogProbs, dHidden);
        return new Result(pg / count + c.valueCoef() * vf / count, pg / count, vf / count, clipped / count, kl / count);
    }
}
