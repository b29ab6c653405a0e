package org.llama3j.posttrain.dpo;

import org.llama3j.posttrain.data.PairBatches;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * The DPO objective on a batch of P pairs laid out by {@link PairBatches} (rows 2i chosen, 2i+1
 * rejected):
 * <pre>
 * z_i  = β·[(log π(c_i) − log π_ref(c_i)) − (log π(r_i) − log π_ref(r_i))]      (sums over reply tokens)
 * L    = (1/P)·Σ_i −log σ(z_i)  +  λ·(1/P)·Σ_i (−log π(c_i))/|c_i|
 * </pre>
 * Gradient via per-token coefficients: every chosen token gets {@code ∂L/∂log p = −β·σ(−z_i)/P − λ/(P·|c_i|)},
 * every rejected token {@code +β·σ(−z_i)/P}; {@link LlamaTrainingModel#backwardFromLogProbs} does the rest.
 */
public final class DpoLoss {

    /** Loss parts and diagnostics of one batch. */
    public record Result(double loss, double dpoLoss, double nll, double rewardAccuracy, double margin) {
    }

    private DpoLoss() {
    }

    /** Summed reply log-probabilities of each row under a (frozen) model: the reference's precomputation. */
    public static double[] sequenceLogProbs(LlamaTrainingModel model, TokenBatch b) {
        float[] lp = model.forwardLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
        return PairBatches.rowSums(b, lp);
    }

    /** Forward and backward: adds the gradient of L to the policy's gradients. */
    public static Result forwardBackward(LlamaTrainingModel policy, TokenBatch b, double[] refLogProbs, DpoConfig c) {
        float[] lp = policy.forwardLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
        double[] seq = PairBatches.rowSums(b, lp);
        int[] counts = PairBatches.rowCounts(b);
        int pairs = b.rows() / 2;
        double[] rowCoef = new double[b.rows()];
        double dpo = 0;
        double nll = 0;
        double correct = 0;
        double margin = 0;
        for (int i = 0; i < pairs; i++) {
            int ch = 2 * i;
            int rj = 2 * i + 1;
            double z = c.beta() * ((seq[ch] - refLogProbs[ch]) - (seq[rj] - refLogProbs[rj]));
            dpo += softplus(-z);
            double sig = sigmoid(-z);
            rowCoef[ch] = -c.beta() * sig / pairs;
            rowCoef[rj] = c.beta() * sig / pairs;
            if (c.nllWeight() > 0 && counts[ch] > 0) {
                nll += -seq[ch] / counts[ch];
                rowCoef[ch] -= c.nllWeight() / ((double) pairs * counts[ch]);
            }
            correct += z > 0 ? 1 : 0;
            margin += z / c.beta();
        }
        float[] dLogProbs = new float[lp.length];
        for (int n = 0; n < lp.length; n++) {
            if (b.targets()[n] >= 0) {
                dLogProbs[n] = (float) rowCoef[n / b.seqLen()];
            }
        }
        policy.backwardFromLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen(), dLogProbs, null);
        double dpoMean = dpo / pairs;
        double nllMean = nll / pairs;
        return new Result(dpoMean + c.nllWeight() * nllMean, dpoMean, nllMean, correct / pairs, margin / pairs);
    }

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
