package org.llama3j.generate;

/**
 * The log-probability of a chosen token under the model's distribution (softmax of the raw logits,
 * temperature 1, before any sampler transform, as OpenAI's {@code logprobs} reports), with the
 * most likely alternatives.
 *
 * @param token       the chosen id
 * @param logprob     its natural-log probability
 * @param topTokens   the {@code k} most likely ids, most likely first (ties by lower id)
 * @param topLogprobs their log-probabilities
 */
public record TokenLogprob(int token, double logprob, int[] topTokens, double[] topLogprobs) {

    /**
     * Computes the log-probability of {@code token} and the {@code top} best alternatives from
     * {@code logits[off .. off+vocab)}. Log-sum-exp in double with the max subtracted, so large
     * logits neither overflow nor lose the small probabilities.
     */
    public static TokenLogprob of(float[] logits, int off, int vocab, int token, int top) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token " + token + " outside vocabulary of " + vocab);
        }
        int k = Math.max(0, Math.min(top, vocab));
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp((double) logits[off + i] - max);
        }
        double logZ = max + Math.log(sum);
        int[] best = new int[k];
        int n = 0;
        for (int id = 0; id < vocab && k > 0; id++) {
            float v = logits[off + id];
            if (n == k && !(v > logits[off + best[n - 1]])) {
                continue;
            }
            int pos = n < k ? n++ : n - 1;
            while (pos > 0 && logits[off + best[pos - 1]] < v) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = id;
        }
        double[] lps = new double[k];
        for (int i = 0; i < k; i++) {
            lps[i] = logits[off + best[i]] - logZ;
        }
        return new TokenLogprob(token, logits[off + token] - logZ, best, lps);
    }
}
