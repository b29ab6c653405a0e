package org.llama3j.posttrain.reward;

import org.llama3j.posttrain.data.PairBatches;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * Bradley–Terry reward-model loss (InstructGPT §3.5, Llama 2 §3.2.2 without the margin term):
 * the score of a reply is the scalar head on the final hidden state of its last token (its
 * {@code <|eot_id|>}); over P pairs {@code L = (1/P)·Σ −log σ(s(c_i) − s(r_i))}.
 */
public final class RewardLoss {

    public record Result(double loss, double accuracy, double margin) {
    }

    private RewardLoss() {
    }

    /** Scores of every row (no gradient). */
    public static float[] scores(LlamaTrainingModel backbone, ScalarHead head, TokenBatch b) {
        backbone.forwardLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
        float[] hidden = backbone.finalHidden();
        int[] last = PairBatches.lastTokens(b);
        float[] out = new float[b.rows()];
        for (int r = 0; r < b.rows(); r++) {
            out[r] = head.score(hidden, last[r]);
        }
        return out;
    }

    /** Forward and backward over backbone and head (targets of {@code b} are not used by the loss). */
    public static Result forwardBackward(LlamaTrainingModel backbone, ScalarHead head, TokenBatch b) {
        float[] s = scores(backbone, head, b);
        float[] hidden = backbone.finalHidden();
        int[] last = PairBatches.lastTokens(b);
        int pairs = b.rows() / 2;
        float[] dHidden = new float[hidden.length];
        double loss = 0;
        double correct = 0;
        double margin = 0;
        for (int i = 0; i < pairs; i++) {
            double delta = (double) s[2 * i] - s[2 * i + 1];
            loss += delta > 0 ? Math.log1p(Math.exp(-delta)) : -delta + Math.log1p(Math.exp(delta));
            double g = -(delta >= 0 ? Math.exp(-delta) / (1 + Math.exp(-delta)) : 1 / (1 + Math.exp(delta))) / pairs;
            head.backward(hidden, last[2 * i], (float) g, dHidden);
            head.backward(hidden, last[2 * i + 1], (float) -g, dHidden);
            correct += delta > 0 ? 1 : 0;
            margin += delta;
        }
        backbone.backwardFromLogProbs(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen(), null, dHidden);
        return new Result(loss / pairs, correct / pairs, margin / pairs);
    }
}
