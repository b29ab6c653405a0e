package org.llama3j.posttrain.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.train.model.LlamaParameters;

/**
 * Samples n replies to one prompt, token by token, until each row draws a stop token or reaches
 * {@code maxNewTokens} (or the context). The loop, the draws and their order (unfinished rows in order,
 * one {@code rnd} draw each per step) are fixed here; a subclass only says how the next-token logits
 * are computed, so {@link TinyGenerator} (whole prefix per token) and {@link CachedGenerator} (KV cache)
 * draw the same replies from the same seed.
 */
public abstract class ReplySampler {

    /** One sampled reply: its tokens (the stop token included when one was drawn) and each token's log-probability. */
    public record Reply(int[] tokens, float[] logProbs) {
    }

    protected final ChatEncoder encoder;

    protected ReplySampler(ChatEncoder encoder) {
        this.encoder = encoder;
    }

    /** The model's context length (prompt + reply never exceed it). */
    protected abstract int contextLength();

    /**
     * Logits of the next token of every unfinished row ({@code done[r]} false), {@code null} for finished
     * rows. Every row holds {@code len} tokens {@code seqs[r][0..len)}: the prompt, then its reply so far;
     * calls come with {@code len} = prompt length, then + 1 each time.
     */
    protected abstract float[][] nextLogits(int[][] seqs, int len, boolean[] done);

    /** Called before the first {@link #nextLogits} of a new prompt; rows never exceed {@code maxLen} tokens. */
    protected void begin(int maxLen) {
    }

    /** Replies as token arrays; temperature 0 is greedy. */
    public List<int[]> sample(int[] prompt, int n, int maxNewTokens, double temperature, SplittableRandom rnd) {
        return replies(prompt, n, maxNewTokens, temperature, rnd).stream().map(Reply::tokens).toList();
    }

    /**
     * {@code n} replies to {@code prompt} with the log-probability (log-softmax of the logits, before
     * temperature) of each drawn token.
     */
    public List<Reply> replies(int[] prompt, int n, int maxNewTokens, double temperature, SplittableRandom rnd) {
        int maxLen = Math.min(contextLength(), prompt.length + maxNewTokens);
        int[][] seqs = new int[n][];
        float[][] logProbs = new float[n][Math.max(0, maxLen - prompt.length)];
        boolean[] done = new boolean[n];
        int[] lengths = new int[n];
        for (int r = 0; r < n; r++) {
            seqs[r] = Arrays.copyOf(prompt, Math.max(maxLen, prompt.length));
            lengths[r] = prompt.length;
        }
        begin(maxLen);
        for (int len = prompt.length; len < maxLen; len++) {
            float[][] logits = nextLogits(seqs, len, done);
            boolean all = true;
            for (int r = 0; r < n; r++) {
                if (done[r]) {
                    continue;
                }
                int next = pick(logits[r], temperature, rnd);
                seqs[r][len] = next;
                logProbs[r][len - prompt.length] = (float) logSoftmax(logits[r], next);
                lengths[r] = len + 1;
                done[r] = encoder.isStop(next);
                all &= done[r];
            }
            if (all) {
                break;
            }
        }
        List<Reply> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int k = lengths[r] - prompt.length;
            out.add(new Reply(Arrays.copyOfRange(seqs[r], prompt.length, lengths[r]), Arrays.copyOf(logProbs[r], k)));
        }
        return out;
    }

    /** Greedy for temperature 0, else a draw from softmax(logits / temperature). */
    static int pick(float[] logits, double temperature, SplittableRandom rnd) {
        int best = argmax(logits);
        if (temperature <= 0) {
            return best;
        }
        double[] w = new double[logits.length];
        double sum = 0;
        for (int v = 0; v < logits.length; v++) {
            w[v] = Math.exp((logits[v] - logits[best]) / temperature);
            sum += w[v];
        }
        double u = rnd.nextDouble() * sum;
        for (int v = 0; v < logits.length; v++) {
            u -= w[v];
            if (u <= 0) {
                return v;
            }
        }
        return best;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int v = 1; v < logits.length; v++) {
            if (logits[v] > logits[best]) {
                best = v;
            }
        }
        return best;
    }

    /**
     * Logits of hidden row {@code row} ({@code [rows][dim]}, after the final norm): the output
     * projection summed in double, as both generators compute it.
     */
    static float[] headLogits(LlamaParameters p, float[] hidden, int row) {
        int vocab = p.shape().vocabSize();
        int dim = p.shape().dim();
        float[] w = p.values();
        float[] out = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            double s = 0;
            int off = p.outputOffset() + v * dim;
            for (int i = 0; i < dim; i++) {
                s += (double) w[off + i] * hidden[row * dim + i];
            }
            out[v] = (float) s;
        }
        return out;
    }

    /** {@code log softmax(logits)[token]}, in double with the max subtracted. */
    static double logSoftmax(float[] logits, int token) {
        double max = logits[argmax(logits)];
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return logits[token] - max - Math.log(sum);
    }
}
