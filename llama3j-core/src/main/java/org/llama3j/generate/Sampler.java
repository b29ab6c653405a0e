package org.llama3j.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token from logits. Order as llama.cpp's default chain: repetition penalty,
 * top-k, top-p, min-p (on temperature-1 probabilities), then temperature and a seeded draw.
 * Greedy picks the lowest id among the maximal logits, as llama.cpp's greedy sampler does.
 */
public final class Sampler {
    /** Logit distance below the best beyond which a token is never a candidate. */
    static final float NEGLIGIBLE = 40f;
    private final SamplingParams params;
    private final SplittableRandom random;
    /** Candidate ids, best first, and their probabilities: sized to the candidates, not the vocabulary. */
    private int[] order = new int[0];
    private float[] probs = new float[0];
    /** Sort keys of the candidates ({@link #key}); with top-k a max-heap of the k best. Reused across calls. */
    private long[] keys = new long[64];
    /** Ids the repetition penalty already touched in this call; cleared after use, allocated on first use. */
    private boolean[] seen;

    public Sampler(SamplingParams params) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
    }

    public SamplingParams params() {
        return params;
    }

    /**
     * Picks a token from {@code logits[off .. off+vocab)} given the tokens so far ({@code history},
     * its first {@code historyLength} entries), which the repetition penalty reads.
     * The logits are modified in place by the penalty.
     */
    public int sample(float[] logits, int off, int vocab, int[] history, int historyLength) {
        applyRepeatPenalty(logits, off, vocab, history, historyLength);
        if (params.greedy()) {
            return argmax(logits, off, vocab);
        }
        int n = candidates(logits, off, vocab);
        // temperature-1 softmax over candidates, for top-p and min-p
        float max = logits[off + order[0]];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            probs[i] = (float) Math.exp(logits[off + order[i]] - max);
            sum += probs[i];
        }
        if (params.topP() < 1f) {
            double cum = 0;
            for (int i = 0; i < n; i++) {
                cum += probs[i] / sum;
                if (cum >= params.topP()) {
                    n = i + 1;
                    break;
                }
            }
        }
        if (params.minP() > 0f) {
            float threshold = params.minP() * probs[0];
            int keep = 1;
            while (keep < n && probs[keep] >= threshold) {
                keep++;
            }
            n = keep;
        }
        // temperature and draw
        double total = 0;
        float invT = 1f / params.temperature();
        for (int i = 0; i < n; i++) {
            probs[i] = (float) Math.exp((logits[off + order[i]] - max) * invT);
            total += probs[i];
        }
        double r = random.nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += probs[i];
            if (r < acc) {
                return order[i];
            }
        }
        return order[n - 1];
    }

    /**
     * Orders candidate ids by logit (descending, ties by id) into {@code order}; returns how many are
     * kept by top-k. Tokens more than {@link #NEGLIGIBLE} below the best logit are dropped first:
     * their probability is below e^-40 of the best token's at any temperature up to 1, so no
     * sampler setting can pick them in practice, and the sort stays small.
     *
     * <p>With top-k only the k best are kept while scanning (a max-heap of their keys), then sorted:
     * the keys are distinct (they contain the id), so this is exactly the first k of the full sort,
     * at O(V log k) instead of sorting every candidate, which for a flat distribution over a 128k
     * vocabulary is most of it.
     */
    int candidates(float[] logits, int off, int vocab) {
        float max = logits[off + argmax(logits, off, vocab)];
        float floor = max - NEGLIGIBLE;
        int k = params.topK();
        int n = k > 0 ? topKeys(logits, off, vocab, floor, k) : allKeys(logits, off, vocab, floor);
        Arrays.sort(keys, 0, n);
        if (order.length < n) {
            order = new int[n];
            probs = new float[n];
        }
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return n;
    }

    private int allKeys(float[] logits, int off, int vocab, float floor) {
        int n = 0;
        for (int id = 0; id < vocab; id++) {
            float v = logits[off + id];
            if (v >= floor) {
                if (n == keys.length) {
                    keys = Arrays.copyOf(keys, n * 2);
                }
                keys[n++] = key(v, id);
            }
        }
        return n;
    }

    /** The keys of the {@code k} best candidates, unordered, in {@code keys[0..n)} (a max-heap while scanning). */
    private int topKeys(float[] logits, int off, int vocab, float floor, int k) {
        if (keys.length < k) {
            keys = new long[k];
        }
        long[] heap = keys;
        int n = 0;
        for (int id = 0; id < vocab; id++) {
            float v = logits[off + id];
            if (!(v >= floor)) { // as allKeys: NaN is never a candidate
                continue;
            }
            long key = key(v, id);
            if (n < k) {
                // sift up
                int i = n++;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (heap[parent] >= key) {
                        break;
                    }
                    heap[i] = heap[parent];
                    i = parent;
                }
                heap[i] = key;
            } else if (key < heap[0]) {
                // better than the worst kept: replace the root and sift down
                int i = 0;
                while (true) {
                    int child = 2 * i + 1;
                    if (child >= n) {
                        break;
                    }
                    if (child + 1 < n && heap[child + 1] > heap[child]) {
                        child++;
                    }
                    if (heap[child] <= key) {
                        break;
                    }
                    heap[i] = heap[child];
                    i = child;
                }
                heap[i] = key;
            }
        }
        return n;
    }

    /** Sort key: descending logit (order-preserving int form of the float, complemented), then ascending id. */
    private static long key(float v, int id) {
        int bits = Float.floatToIntBits(v);
        int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return ((long) ~ordered << 32) | (id & 0xffffffffL);
    }

    /** The id of the i-th best candidate after {@link #candidates}. */
    int candidate(int i) {
        return order[i];
    }

    private void applyRepeatPenalty(float[] logits, int off, int vocab, int[] history, int historyLength) {
        float penalty = params.repeatPenalty();
        if (penalty == 1f || params.repeatLastN() == 0 || historyLength == 0) {
            return;
        }
        int from = Math.max(0, historyLength - params.repeatLastN());
        if (seen == null || seen.length < vocab) {
            seen = new boolean[vocab];
        }
        for (int i = from; i < historyLength; i++) {
            int id = history[i];
            if (id < 0 || id >= vocab || seen[id]) {
                continue;
            }
            seen[id] = true;
            float l = logits[off + id];
            logits[off + id] = l > 0 ? l / penalty : l * penalty;
        }
        for (int i = from; i < historyLength; i++) {
            int id = history[i];
            if (id >= 0 && id < vocab) {
                seen[id] = false;
            }
        }
    }

    /** Index of the largest logit; the lowest such index on ties. */
    public static int argmax(float[] logits, int off, int vocab) {
        int best = 0;
        float bestValue = logits[off];
        for (int i = 1; i < vocab; i++) {
            if (logits[off + i] > bestValue) {
                bestValue = logits[off + i];
                best = i;
            }
        }
        return best;
    }
}
