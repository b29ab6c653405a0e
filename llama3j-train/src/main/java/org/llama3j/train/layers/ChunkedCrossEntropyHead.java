package org.llama3j.train.layers;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.llama3j.kernel.VectorMath;

/**
 * The output projection fused with softmax cross-entropy, computed over the vocabulary in chunks
 * so no {@code rows × vocab} logits tensor ever exists: the forward pass keeps a running max and
 * sum of exponentials per row (online log-sum-exp, Milakov &amp; Gimelshein 2018), the backward
 * pass recomputes each chunk's logits, turns them into {@code dLogits = (softmax − onehot)/count}
 * and feeds them straight into the two matmuls of the projection's backward pass.
 *
 * <p>h is {@code [rows][dim]} (the final-norm output), W is {@code [vocab][dim]} (the untied
 * {@code output.weight} or, tied, {@code token_embd.weight}). Targets equal to
 * {@link #IGNORE_INDEX} contribute neither loss nor gradient; the loss is the mean over the
 * others (PyTorch {@code F.cross_entropy(..., ignore_index=-100, reduction="mean")}).
 *
 * <p>Training calls {@link #forwardBackward}: when one chunk holds the whole vocabulary it keeps
 * that chunk's logits and turns them into their gradient, skipping the backward recomputation.
 *
 * <p>Not thread-safe: one instance reuses one scratch buffer across calls.
 */
public final class ChunkedCrossEntropyHead {

    /** PyTorch's default {@code ignore_index}. */
    public static final int IGNORE_INDEX = -100;

    /**
     * Most logits held at once (16 Mi floats = 64 MiB): the vocabulary chunk shrinks for large
     * batches so {@code rows × chunk} stays under it.
     */
    public static final int MAX_CHUNK_LOGITS = 1 << 24;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final int dim;
    private final int vocab;
    private final int chunk;
    private float[] scratch = new float[0];

    public ChunkedCrossEntropyHead(int dim, int vocab, int chunk) {
        if (dim <= 0 || vocab <= 0 || chunk <= 0) {
            throw new IllegalArgumentException("head sizes must be positive: dim=" + dim + " vocab="
                    + vocab + " chunk=" + chunk);
        }
        this.dim = dim;
        this.vocab = vocab;
        this.chunk = Math.min(chunk, vocab);
    }

    /** The vocabulary chunk used for {@code rows} rows: the configured one, capped by the budget. */
    int chunkFor(int rows) {
        return Math.max(1, Math.min(chunk, MAX_CHUNK_LOGITS / Math.max(1, rows)));
    }

    private float[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new float[size];
        }
        return scratch;
    }

    /** Number of targets that are not {@link #IGNORE_INDEX}; checks the others are in range. */
    public int countTargets(int[] targets) {
        int count = 0;
        for (int n = 0; n < targets.length; n++) {
            int t = targets[n];
            if (t == IGNORE_INDEX) {
                continue;
            }
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("target " + t + " at position " + n
                        + " outside [0, " + vocab + ") and not the ignore index " + IGNORE_INDEX);
            }
            count++;
        }
        return count;
    }

    /**
     * Mean loss over non-ignored targets (NaN if there are none); {@code lse[n]} receives each
     * row's log-sum-exp for the backward pass.
     */
    public float forward(WorkerPool pool, float[] h, float[] w, int wOff, int[] targets, float[] lse) {
        int count = countTargets(targets);
        return meanLoss(targets, count, targetLogits(pool, h, w, wOff, targets, lse));
    }

    private static float meanLoss(int[] targets, int count, double[][] rowStats) {
        double total = 0;
        for (int r = 0; r < targets.length; r++) {
            if (targets[r] != IGNORE_INDEX) {
                total += rowStats[1][r] - rowStats[0][r];
            }
        }
        return count == 0 ? Float.NaN : (float) (total / count);
    }

    /**
     * Per-row log-probability of the target, {@code log p(targets[r]) = logit − lse}, 0 where the
     * target is {@link #IGNORE_INDEX}; {@code lse} is filled as by {@link #forward}. Post-training
     * (DPO, PPO, rejection sampling) works on these per-token values instead of the mean loss.
     */
    public float[] logProbs(WorkerPool pool, float[] h, float[] w, int wOff, int[] targets, float[] lse) {
        countTargets(targets);
        double[][] rowStats = targetLogits(pool, h, w, wOff, targets, lse);
        float[] out = new float[targets.length];
        for (int r = 0; r < targets.length; r++) {
            if (targets[r] != IGNORE_INDEX) {
                out[r] = (float) (rowStats[0][r] - rowStats[1][r]);
            }
        }
        return out;
    }

    /**
     * Fills {@code lse[r]} (as float) and returns {target logit (0 where ignored), log-sum-exp}
     * per row, both in double.
     */
    private double[][] targetLogits(WorkerPool pool, float[] h, float[] w, int wOff, int[] targets, float[] lse) {
        int rows = targets.length;
        double[] max = new double[rows];
        double[] sum = new double[rows];
        double[] targetLogit = new double[rows];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        int chunk = chunkFor(rows);
        float[] logits = scratch(rows * chunk);
        for (int v0 = 0; v0 < vocab; v0 += chunk) {
            int c = Math.min(chunk, vocab - v0);
            int chunkStart = v0;
            Linear.forward(pool, h, 0, w, wOff + v0 * dim, logits, 0, rows, dim, c);
            pool.forRange(rows, 16, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int base = r * c;
                    float m = Math.max((float) max[r], maxOf(logits, base, base + c));
                    sum[r] = sum[r] * Math.exp(max[r] - m) + sumExp(logits, base, base + c, m);
                    max[r] = m;
                    int t = targets[r];
                    if (t >= chunkStart && t < chunkStart + c) {
                        targetLogit[r] = logits[base + t - chunkStart];
                    }
                }
            });
        }
        double[] rowLse = new double[rows];
        for (int r = 0; r < rows; r++) {
            rowLse[r] = max[r] + Math.log(sum[r]);
            lse[r] = (float) rowLse[r];
        }
        return new double[][] {targetLogit, rowLse};
    }

    /**
     * Accumulates dH and dW for upstream gradient {@code dLoss} of the mean loss. Needs the
     * {@code lse} of {@link #forward} on the same inputs.
     */
    public void backward(WorkerPool pool, float[] h, float[] w, int wOff, int[] targets, float[] lse,
                         float dLoss, float[] dh, float[] dw, int dwOff) {
        int count = countTargets(targets);
        if (count == 0) {
            return;
        }
        float[] rowScale = new float[targets.length];
        Arrays.fill(rowScale, dLoss / count);
        backwardScaled(pool, h, w, wOff, targets, lse, rowScale, dh, dw, dwOff);
    }

    /**
     * Accumulates dH and dW for a loss whose gradient with respect to row r's logits is
     * {@code rowScale[r]·(softmax − onehot(target))}: {@code rowScale[r] = −∂L/∂log p(target_r)}.
     * This is the per-token weighted cross-entropy {@code Σ_r rowScale[r]·(−log p(target_r))} that
     * post-training needs (SFT masks, DPO and PPO per-token coefficients). Ignored rows add nothing.
     */
    public void backwardScaled(WorkerPool pool, float[] h, float[] w, int wOff, int[] targets, float[] lse,
                               float[] rowScale, float[] dh, float[] dw, int dwOff) {
        int rows = targets.length;
        if (rowScale.length != rows) {
            throw new IllegalArgumentException("rowScale has length " + rowScale.length + ", expected " + rows);
        }
        int chunk = chunkFor(rows);
        float[] dLogits = scratch(rows * chunk);
        for (int v0 = 0; v0 < vocab; v0 += chunk) {
            int c = Math.min(chunk, vocab - v0);
            Linear.forward(pool, h, 0, w, wOff + v0 * dim, dLogits, 0, rows, dim, c);
            chunkGradient(pool, dLogits, v0, c, h, w, wOff, targets, lse, rowScale, dh, dw, dwOff);
        }
    }

    /**
     * Forward and backward in one call: returns {@link #forward}'s loss and accumulates
     * {@link #backward}'s gradients. When the whole vocabulary's logits fit in
     * {@link #MAX_CHUNK_LOGITS} (and the configured chunk) they are computed once and turned into
     * their gradient in place, instead of being recomputed by the backward pass; otherwise this is
     * forward then backward.
     */
    public float forwardBackward(WorkerPool pool, float[] h, float[] w, int wOff, int[] targets, float[] lse,
                                 float dLoss, float[] dh, float[] dw, int dwOff) {
        int rows = targets.length;
        if (chunkFor(rows) < vocab) {
            float loss = forward(pool, h, w, wOff, targets, lse);
            backward(pool, h, w, wOff, targets, lse, dLoss, dh, dw, dwOff);
            return loss;
        }
        int count = countTargets(targets);
        float loss = meanLoss(targets, count, targetLogits(pool, h, w, wOff, targets, lse));
        if (count > 0) {
            float[] rowScale = new float[rows];
            Arrays.fill(rowScale, dLoss / count);
            // targetLogits left the logits of its one chunk, the whole vocabulary, in the scratch buffer
            chunkGradient(pool, scratch, 0, vocab, h, w, wOff, targets, lse, rowScale, dh, dw, dwOff);
        }
        return loss;
    }

    /**
     * Turns the logits of vocabulary entries {@code [v0, v0 + c)} ({@code [rows][c]} in
     * {@code logits}) into {@code rowScale·(softmax − onehot)} in place and accumulates their
     * products into dH and dW.
     */
    private void chunkGradient(WorkerPool pool, float[] logits, int v0, int c, float[] h, float[] w, int wOff,
                               int[] targets, float[] lse, float[] rowScale, float[] dh, float[] dw, int dwOff) {
        int rows = targets.length;
        pool.forRange(rows, 16, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * c;
                int t = targets[r];
                if (t == IGNORE_INDEX) {
                    Arrays.fill(logits, base, base + c, 0f);
                    continue;
                }
                scaledSoftmax(logits, base, base + c, lse[r], rowScale[r]);
                if (t >= v0 && t < v0 + c) {
                    logits[base + t - v0] -= rowScale[r];
                }
            }
        });
        Linear.backwardInput(pool, logits, 0, w, wOff + v0 * dim, dh, 0, rows, dim, c);
        if (dw != null) {   // null: a frozen head (adapter training)
            Linear.backwardWeight(pool, logits, 0, h, 0, dw, dwOff + v0 * dim, rows, dim, c);
        }
    }

    /** max of {@code v[from, to)}. */
    private static float maxOf(float[] v, int from, int to) {
        int i = from;
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
            acc = acc.max(FloatVector.fromArray(F, v, i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            m = Math.max(m, v[i]);
        }
        return m;
    }

    /** Σ e^(v[i] − max) over [from, to), lane sums added in a fixed order. */
    private static float sumExp(float[] v, int from, int to, float max) {
        int i = from;
        FloatVector acc = FloatVector.zero(F);
        for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
            acc = acc.add(FloatExp.exp(FloatVector.fromArray(F, v, i).sub(max)));
        }
        float sum = VectorMath.sumInLaneOrder(acc);
        for (; i < to; i++) {
            sum += FloatExp.exp(v[i] - max);
        }
        return sum;
    }

    /** {@code v[i] = e^(v[i] − lse)·scale} over [from, to): softmax probabilities, scaled. */
    private static void scaledSoftmax(float[] v, int from, int to, float lse, float scale) {
        int i = from;
        for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
            FloatExp.exp(FloatVector.fromArray(F, v, i).sub(lse)).mul(scale).intoArray(v, i);
        }
        for (; i < to; i++) {
            v[i] = FloatExp.exp(v[i] - lse) * scale;
        }
    }

    /** Full logits {@code [rows][vocab]}, for tests and evaluation of small models only. */
    public float[] logits(WorkerPool pool, float[] h, float[] w, int wOff, int rows) {
        float[] out = new float[rows * vocab];
        Linear.forward(pool, h, 0, w, wOff, out, 0, rows, dim, vocab);
        return out;
    }
}
