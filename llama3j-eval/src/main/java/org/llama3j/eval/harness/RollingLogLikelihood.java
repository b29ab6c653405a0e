package org.llama3j.eval.harness;

import java.util.Arrays;

/**
 * Log-likelihood of a whole text, every token scored exactly once, after lm-eval's
 * {@code loglikelihood_rolling} ({@code lm_eval/utils.py}, {@code get_rolling_token_windows} with
 * {@code context_len = 1}): BOS, then disjoint windows of predicted tokens, each window conditioned
 * on the single token before it. Our windows predict {@code ctx - 1} tokens (lm-eval's predict
 * {@code ctx}), because a window here is the whole {@code ctx}-token slice ending at its last target.
 */
public final class RollingLogLikelihood {
    private RollingLogLikelihood() {
    }

    /** Summed log-likelihood and token count of {@code text}. */
    public static ContinuationScorer.Scored score(LanguageModel model, String text) {
        int[] tokens = model.encode(text);
        int[] all = ContinuationScorer.withBos(model.bos(), tokens);
        int offset = all.length - tokens.length; // 1 with BOS: the first text token is predicted
        int ctx = model.contextLength();
        double sum = 0;
        int scored = 0;
        int next = Math.max(offset, 1); // index in `all` of the next token to predict
        while (next < all.length) {
            int end = Math.min(all.length, next + ctx - 1); // predict all[next..end)
            int start = Math.max(0, end - ctx);
            int[] window = Arrays.copyOfRange(all, start, end);
            for (double v : model.logProbs(window, next - start)) {
                sum += v;
                scored++;
            }
            next = end;
        }
        return new ContinuationScorer.Scored(sum, scored);
    }
}
