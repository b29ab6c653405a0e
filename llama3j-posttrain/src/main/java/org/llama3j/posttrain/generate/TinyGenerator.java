package org.llama3j.posttrain.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.train.layers.ChunkedCrossEntropyHead;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * Samples replies straight from the training model's logits, for the small models post-training
 * runs on here: each new token is one forward pass over the whole prefix (no KV cache, O(T²)), with
 * the n samples of one prompt as n rows of one batch. Exact with respect to the weights being
 * trained (no export, no rounding), which is what rejection sampling and PPO need; for large models
 * export to GGUF and use core's {@code Generator} instead.
 */
public final class TinyGenerator {

    private final LlamaTrainingModel model;
    private final ChatEncoder encoder;

    public TinyGenerator(LlamaTrainingModel model, ChatEncoder encoder) {
        this.model = model;
        this.encoder = encoder;
    }

    /**
     * {@code n} replies to {@code prompt}, each at most {@code maxNewTokens} tokens and ending with
     * its stop token when one was sampled; temperature 0 is greedy.
     */
    public List<int[]> sample(int[] prompt, int n, int maxNewTokens, double temperature, SplittableRandom rnd) {
        LlamaParameters p = model.parameters();
        int maxLen = Math.min(p.shape().maxSeqLen(), prompt.length + maxNewTokens);
        int[][] seqs = new int[n][];
        boolean[] done = new boolean[n];
        int[] lengths = new int[n];
        for (int r = 0; r < n; r++) {
            seqs[r] = Arrays.copyOf(prompt, maxLen);
            lengths[r] = prompt.length;
        }
        int vocab = p.shape().vocabSize();
        int dim = p.shape().dim();
        float[] logits = new float[vocab];
        for (int len = prompt.length; len < maxLen; len++) {
            int[] tokens = new int[n * len];
            for (int r = 0; r < n; r++) {
                System.arraycopy(seqs[r], 0, tokens, r * len, len);
            }
            int[] targets = new int[n * len];
            Arrays.fill(targets, ChunkedCrossEntropyHead.IGNORE_INDEX);
            model.forwardLogProbs(tokens, targets, new int[n * len], n, len);
            float[] hidden = model.finalHidden();
            boolean all = true;
            for (int r = 0; r < n; r++) {
                if (done[r]) {
                    continue;
                }
                int row = r * len + len - 1;
                for (int v = 0; v < vocab; v++) {
                    double s = 0;
                    int w = p.outputOffset() + v * dim;
                    for (int i = 0; i < dim; i++) {
                        s += (double) p.values()[w + i] * hidden[row * dim + i];
                    }
                    logits[v] = (float) s;
                }
                int next = pick(logits, temperature, rnd);
                seqs[r][len] = next;
                lengths[r] = len + 1;
                done[r] = encoder.isStop(next);
                all &= done[r];
            }
            if (all) {
                break;
            }
        }
        List<int[]> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            out.add(Arrays.copyOfRange(seqs[r], prompt.length, lengths[r]));
        }
        return out;
    }

    /** Greedy for temperature 0, else a draw from softmax(logits / temperature). */
    static int pick(float[] logits, double temperature, SplittableRandom rnd) {
        int best = 0;
        for (int v = 1; v < logits.length; v++) {
            if (logits[v] > logits[best]) {
                best = v;
            }
        }
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
}
