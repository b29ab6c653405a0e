package org.llama3j.train.layers;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.llama3j.kernel.VectorMath;

/**
 * Grouped-query causal self-attention with a document mask, for packed sequences: query t of a
 * sequence attends to key j iff {@code j <= t} and {@code docIds[j] == docIds[t]} (the Llama 3
 * paper, §3.4.1, "an attention mask that prevents self-attention between different documents
 * within the same sequence"). Query head h reads key/value head {@code h / (heads / kvHeads)}
 * (Ainslie et al. 2023, GQA; Meta {@code model.py} {@code repeat_kv}).
 *
 * <p>Layout: q and out are {@code [B·T][heads][headDim]}, k and v {@code [B·T][kvHeads][headDim]},
 * all after RoPE. The forward pass keeps only the log-sum-exp of each score row
 * ({@code [B·T][heads]}); the backward pass recomputes the probabilities from it, as
 * FlashAttention does, so memory stays O(T) per head instead of O(T²).
 *
 * <p>Kernels: no per-pair dot products with horizontal reductions. Each task copies the keys (and
 * values) of its kv head transposed, {@code kᵀ[d][j]}, so the scores of one query against 16
 * keys are one vector accumulated over d by broadcasts of q (the GEMM micro-kernel shape), and
 * weighted sums of rows ({@code Σ_j p_j·v_j}) accumulate whole rows in registers. A query visits
 * only the keys of its own document up to itself ({@link DocumentSpans}), not all earlier
 * positions. The backward pass keeps the probabilities and score gradients of a block of keys for
 * all queries ({@code T × keyBlock} floats, see {@link #keyBlock}) so that dK and dV are sums over
 * queries in registers too, instead of one read-modify-write of a key row per (query, key) pair.
 * Register tiling across outputs: two neighbouring queries of one document share their score and
 * weighted-sum passes (forward, and dQ in the backward pass), four neighbouring keys their dK and
 * dV sums, so each loaded key/value/query row feeds several outputs.
 *
 * <p>Determinism: every output element is summed in an order fixed by the sizes and the document
 * layout, inside one task; tasks are (batch, head) forward and (batch, kv head) backward, so results
 * do not depend on the thread count. Forward and backward compute each score with the same
 * operations in the same order, so the recomputed probabilities are those of the forward pass.
 */
public final class DocumentMaskedAttention {

    /** Sizes of one attention call. */
    public record Shape(int batch, int seqLen, int heads, int kvHeads, int headDim) {
        public Shape {
            if (batch <= 0 || seqLen <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0) {
                throw new IllegalArgumentException("attention sizes must be positive: " + this);
            }
            if (heads % kvHeads != 0) {
                throw new IllegalArgumentException("attention heads " + heads
                        + " not a multiple of kv heads " + kvHeads);
            }
        }

        int group() {
            return heads / kvHeads;
        }
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /**
     * Floats of the backward pass's probability block (and as many of its gradient): 128 Ki floats
     * = 512 KB, so a whole 256-token sequence is one block that stays in a 1 MB L2 cache.
     */
    static final int BACKWARD_BLOCK_FLOATS = 1 << 17;

    /** Keys whose dK and dV rows the backward pass sums together ({@link #weightedRowsOfKeys}). */
    private static final int KEYS = 4;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DocumentMaskedAttention() {
    }

    /** out = softmax(q·kᵀ/√d + mask)·v per head; lse receives each row's log-sum-exp. */
    public static void forward(WorkerPool pool, Shape s, float[] q, float[] k, float[] v, int[] docIds,
                               float[] out, float[] lse) {
        int hd = s.headDim();
        int seqLen = s.seqLen();
        int qRow = s.heads() * hd;
        int kvRow = s.kvHeads() * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        DocumentSpans spans = DocumentSpans.of(docIds, s.batch(), seqLen);
        pool.forRange(s.batch() * s.heads(), 1, (i0, i1) -> {
            Scratch w = SCRATCH.get().size(seqLen, hd, keyBlock(seqLen));
            int loaded = -1;
            for (int task = i0; task < i1; task++) {
                int b = task / s.heads();
                int h = task % s.heads();
                int kvh = h / s.group();
                int rowBase = b * seqLen;
                if (loaded != b * s.kvHeads() + kvh) {
                    loaded = b * s.kvHeads() + kvh;
                    w.transpose(k, rowBase * kvRow + kvh * hd, kvRow, w.kt);
                    w.rows(v, rowBase * kvRow + kvh * hd, kvRow, w.vc);
                }
                boolean contiguous = spans.contiguous(b);
                float[] p = w.scores;
                for (int t = 0; t < seqLen; t++) {
                    int qOff = (rowBase + t) * qRow + h * hd;
                    int lo = spans.first(rowBase + t);
                    if (w.hdp % (2 * L) == 0 && t + 1 < seqLen && spans.first(rowBase + t + 1) == lo
                            && docIds[rowBase + t + 1] == docIds[rowBase + t]) {
                        // queries t and t+1 of one document together: keys [lo, t+1] for both, the
                        // key t+1 masked for query t (probability exactly 0)
                        int end = lo + vectorsFor(t + 2 - lo) * L;
                        int doc = docIds[rowBase + t];
                        timesTransposed2(q, qOff, qOff + qRow, w.kt, w.tp, hd, lo, end, p, w.scores2);
                        mask(p, lo, t, end, contiguous, docIds, rowBase, doc);
                        mask(w.scores2, lo, t + 1, end, contiguous, docIds, rowBase, doc);
                        softmaxNumerators(p, lo, end, scale, w.stat, 0);
                        softmaxNumerators(w.scores2, lo, end, scale, w.stat, 2);
                        weightedRowsOfQueries(p, 0, w.scores2, 0, lo, t + 2, w.vc, w.hdp, w.acc);
                        float inv0 = 1f / w.stat[1];
                        float inv1 = 1f / w.stat[3];
                        for (int d = 0; d < hd; d++) {
                            out[qOff + d] = w.acc[d] * inv0;
                            out[qOff + qRow + d] = w.acc[w.hdp + d] * inv1;
                        }
                        lse[(rowBase + t) * s.heads() + h] = w.stat[0] + (float) Math.log(w.stat[1]);
                        lse[(rowBase + t + 1) * s.heads() + h] = w.stat[2] + (float) Math.log(w.stat[3]);
                        t++;
                        continue;
                    }
                    int end = lo + vectorsFor(t + 1 - lo) * L;
                    timesTransposed(q, qOff, w.kt, w.tp, hd, lo, end, p);
                    mask(p, lo, t, end, contiguous, docIds, rowBase, docIds[rowBase + t]);
                    FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                    for (int j = lo; j < end; j += L) {
                        vmax = vmax.max(FloatVector.fromArray(F, p, j));
                    }
                    // the scores are scaled here, as softmax(q·k/√d), and exponentiated relative to the max
                    float max = vmax.reduceLanes(VectorOperators.MAX) * scale;
                    FloatVector vsum = FloatVector.zero(F);
                    for (int j = lo; j < end; j += L) {
                        FloatVector e = FloatExp.exp(FloatVector.fromArray(F, p, j).fma(scale, -max));
                        e.intoArray(p, j);
                        vsum = vsum.add(e);
                    }
                    float sum = VectorMath.sumInLaneOrder(vsum);
                    weightedRows(p, 0, 1, lo, t + 1, w.vc, w.hdp, w.acc);
                    float inv = 1f / sum;
                    for (int d = 0; d < hd; d++) {
                        out[qOff + d] = w.acc[d] * inv;
                    }
                    lse[(rowBase + t) * s.heads() + h] = max + (float) Math.log(sum);
                }
            }
        });
    }

    /**
     * One query row of {@link #forward}, for a query whose document's keys and values are rows
     * {@code 0…n−1} (k and v at {@code kvOff + j·kvStride}, the query last): the same scores (one fma
     * chain over d per key), max, exponentials, lane sums and weighted sums (partial sum j mod 4), in
     * scalar code, so {@code out} equals forward's output for that query bit for bit. KV-cached
     * generation computes its newest token with it and matches the uncached forward pass exactly.
     */
    public static void attendOne(float[] q, int qOff, float[] k, float[] v, int kvOff, int kvStride, int n, int hd,
                                 float[] out, int outOff) {
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] p = new float[n];
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float a = 0f;
            for (int d = 0, at = kvOff + j * kvStride; d < hd; d++) {
                a = Math.fma(k[at + d], q[qOff + d], a);
            }
            p[j] = a;
            max = Math.max(max, a);
        }
        max *= scale;
        float[] lanes = new float[L];   // forward's vector sum, lane j mod L, masked lanes adding 0
        for (int j = 0; j < n; j++) {
            p[j] = FloatExp.exp(Math.fma(p[j], scale, -max));
            lanes[j % L] += p[j];
        }
        float sum = 0f;
        for (float lane : lanes) {
            sum += lane;
        }
        float inv = 1f / sum;
        for (int d = 0; d < hd; d++) {
            float[] part = new float[4];
            for (int j = 0; j < n; j++) {
                part[j & 3] = Math.fma(v[kvOff + j * kvStride + d], p[j], part[j & 3]);
            }
            out[outOff + d] = ((part[0] + part[1]) + (part[2] + part[3])) * inv;
        }
    }

    /**
     * Accumulates dQ, dK, dV. With P recomputed as exp(score − lse): dV_j += Σ_t P_tj·dO_t;
     * dS_tj = P_tj·(dO_t·v_j − dO_t·O_t)·scale; dQ_t += Σ_j dS_tj·k_j; dK_j += Σ_t dS_tj·q_t.
     * Parallel over (batch, kv head): each block owns the dK/dV rows of its kv head and the dQ rows
     * of the query heads that share it. Per key block: pass 1 walks the queries (P, dS, dQ), pass
     * 2 the keys (dV, dK).
     */
    public static void backward(WorkerPool pool, Shape s, float[] q, float[] k, float[] v, int[] docIds,
                                float[] out, float[] lse, float[] dOut,
                                float[] dq, float[] dk, float[] dv) {
        int hd = s.headDim();
        int seqLen = s.seqLen();
        int qRow = s.heads() * hd;
        int kvRow = s.kvHeads() * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        int block = keyBlock(seqLen);
        DocumentSpans spans = DocumentSpans.of(docIds, s.batch(), seqLen);
        pool.forRange(s.batch() * s.kvHeads(), 1, (i0, i1) -> {
            Scratch w = SCRATCH.get().size(seqLen, hd, block);
            for (int task = i0; task < i1; task++) {
                int b = task / s.kvHeads();
                int kvh = task % s.kvHeads();
                int rowBase = b * seqLen;
                int kvBase = rowBase * kvRow + kvh * hd;
                boolean contiguous = spans.contiguous(b);
                w.transpose(k, kvBase, kvRow, w.kt);
                w.transpose(v, kvBase, kvRow, w.vt);
                w.rows(k, kvBase, kvRow, w.kc);
                for (int h = kvh * s.group(); h < (kvh + 1) * s.group(); h++) {
                    int qBase = rowBase * qRow + h * hd;
                    w.rows(q, qBase, qRow, w.qc);
                    w.rows(dOut, qBase, qRow, w.dOc);
                    for (int t = 0; t < seqLen; t++) {
                        w.dOutDotOut[t] = VectorMath.dotInLaneOrder(dOut, qBase + t * qRow, out, qBase + t * qRow, hd);
                    }
                    for (int j0 = 0; j0 < seqLen; j0 += block) {
                        int j1 = Math.min(seqLen, j0 + block);
                        if (!contiguous) {
                            // pass 2 then also reads entries of queries outside the key's document
                            Arrays.fill(w.prob, 0f);
                            Arrays.fill(w.dScore, 0f);
                        }
                        for (int t = j0; t < seqLen; t++) {
                            int lo = Math.max(spans.first(rowBase + t), j0);
                            int hi = Math.min(t, j1 - 1);
                            if (lo > hi) {
                                continue;
                            }
                            int qOff = qBase + t * qRow;
                            int m = t * w.bp - j0;   // P and dS of (t, j) at m + j
                            int doc = docIds[rowBase + t];
                            if (w.hdp % (2 * L) == 0 && t + 1 < seqLen && docIds[rowBase + t + 1] == doc
                                    && spans.first(rowBase + t + 1) == spans.first(rowBase + t)) {
                                // queries t and t+1 together, as in the forward pass: keys [lo, hi1] for
                                // both, those past hi masked for query t (P and dS exactly 0)
                                int hi1 = Math.min(t + 1, j1 - 1);
                                int end = lo + vectorsFor(hi1 + 1 - lo) * L;
                                timesTransposed2(q, qOff, qOff + qRow, w.kt, w.tp, hd, lo, end, w.scores, w.scores2);
                                mask(w.scores, lo, hi, end, contiguous, docIds, rowBase, doc);
                                mask(w.scores2, lo, hi1, end, contiguous, docIds, rowBase, doc);
                                timesTransposed2(dOut, qOff, qOff + qRow, w.vt, w.tp, hd, lo, end, w.dProb, w.dProb2);
                                probabilitiesAndScoreGradients(w.scores, w.dProb, lo, end, scale,
                                        lse[(rowBase + t) * s.heads() + h], w.dOutDotOut[t], w.prob, w.dScore, m);
                                probabilitiesAndScoreGradients(w.scores2, w.dProb2, lo, end, scale,
                                        lse[(rowBase + t + 1) * s.heads() + h], w.dOutDotOut[t + 1], w.prob,
                                        w.dScore, m + w.bp);
                                weightedRowsOfQueries(w.dScore, m, w.dScore, m + w.bp, lo, hi1 + 1, w.kc, w.hdp, w.acc);
                                for (int d = 0; d < hd; d++) {
                                    dq[qOff + d] += w.acc[d];
                                    dq[qOff + qRow + d] += w.acc[w.hdp + d];
                                }
                                t++;
                                continue;
                            }
                            int end = lo + vectorsFor(hi + 1 - lo) * L;
                            timesTransposed(q, qOff, w.kt, w.tp, hd, lo, end, w.scores);
                            mask(w.scores, lo, hi, end, contiguous, docIds, rowBase, doc);
                            timesTransposed(dOut, qOff, w.vt, w.tp, hd, lo, end, w.dProb);
                            probabilitiesAndScoreGradients(w.scores, w.dProb, lo, end, scale,
                                    lse[(rowBase + t) * s.heads() + h], w.dOutDotOut[t], w.prob, w.dScore, m);
                            weightedRows(w.dScore, m, 1, lo, hi + 1, w.kc, w.hdp, w.acc);
                            for (int d = 0; d < hd; d++) {
                                dq[qOff + d] += w.acc[d];
                            }
                        }
                        for (int j = j0; j < j1; ) {
                            int tEnd = spans.last(rowBase + j) + 1;
                            int kvOff = kvBase + j * kvRow;
                            if (w.hdp % (2 * L) == 0 && j + KEYS - 1 < j1 && sameDocumentEnd(spans, rowBase + j, KEYS)) {
                                weightedRowsOfKeys(w.prob, j - j0, w.bp, j, tEnd, w.dOc, w.hdp, w.acc);
                                addRows(w.acc, w.hdp, dv, kvOff, kvRow, hd, KEYS);
                                weightedRowsOfKeys(w.dScore, j - j0, w.bp, j, tEnd, w.qc, w.hdp, w.acc);
                                addRows(w.acc, w.hdp, dk, kvOff, kvRow, hd, KEYS);
                                j += KEYS;
                                continue;
                            }
                            weightedRows(w.prob, j - j0, w.bp, j, tEnd, w.dOc, w.hdp, w.acc);
                            addRows(w.acc, w.hdp, dv, kvOff, kvRow, hd, 1);
                            weightedRows(w.dScore, j - j0, w.bp, j, tEnd, w.qc, w.hdp, w.acc);
                            addRows(w.acc, w.hdp, dk, kvOff, kvRow, hd, 1);
                            j++;
                        }
                    }
                }
            }
        });
    }

    /** Keys per backward block: all of them up to {@link #BACKWARD_BLOCK_FLOATS} / T, at least one vector. */
    static int keyBlock(int seqLen) {
        return Math.max(L, Math.min(seqLen, BACKWARD_BLOCK_FLOATS / seqLen / L * L));
    }

    private static int vectorsFor(int n) {
        return (n + L - 1) / L;
    }

    /**
     * {@code dst[j] = Σ_d x[xOff + d]·mt[d·tp + j]} for j in [lo, end), end − lo a multiple of L:
     * a row times a transposed matrix, four vectors of columns at a time. Each lane is one fma chain
     * over d in order, however the columns are grouped, so a score does not depend on [lo, end).
     */
    private static void timesTransposed(float[] x, int xOff, float[] mt, int tp, int hd, int lo, int end, float[] dst) {
        int j = lo;
        for (; j + 4 * L <= end; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int d = 0, m = j; d < hd; d++, m += tp) {
                FloatVector xd = FloatVector.broadcast(F, x[xOff + d]);
                a0 = FloatVector.fromArray(F, mt, m).fma(xd, a0);
                a1 = FloatVector.fromArray(F, mt, m + L).fma(xd, a1);
                a2 = FloatVector.fromArray(F, mt, m + 2 * L).fma(xd, a2);
                a3 = FloatVector.fromArray(F, mt, m + 3 * L).fma(xd, a3);
            }
            a0.intoArray(dst, j);
            a1.intoArray(dst, j + L);
            a2.intoArray(dst, j + 2 * L);
            a3.intoArray(dst, j + 3 * L);
        }
        for (; j < end; j += L) {
            FloatVector a = FloatVector.zero(F);
            for (int d = 0, m = j; d < hd; d++, m += tp) {
                a = FloatVector.fromArray(F, mt, m).fma(FloatVector.broadcast(F, x[xOff + d]), a);
            }
            a.intoArray(dst, j);
        }
    }

    /**
     * Scores of keys past {@code hi} in the last vector, and of documents other than {@code doc}
     * (the query's), become −∞ (probability 0).
     */
    private static void mask(float[] scores, int lo, int hi, int end, boolean contiguous, int[] docIds, int rowBase,
                             int doc) {
        Arrays.fill(scores, hi + 1, end, Float.NEGATIVE_INFINITY);
        if (!contiguous) {
            for (int j = lo; j <= hi; j++) {
                if (docIds[rowBase + j] != doc) {
                    scores[j] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /**
     * {@code acc[c] = Σ_{i ∈ [from, to)} wt[wOff + i·stride]·rows[i·hdp + c]} for c in [0, hdp): rows
     * weighted and summed in registers, with four partial sums per column vector ((i − from) mod 4)
     * added as (s0 + s1) + (s2 + s3). Two column vectors per pass where there are two, so each weight is
     * broadcast once for both (one pass in all at head dim 32 with 16-lane vectors); the sums are
     * the same whatever the pairing.
     */
    private static void weightedRows(float[] wt, int wOff, int stride, int from, int to, float[] rows, int hdp,
                                     float[] acc) {
        int c = 0;
        for (; c + 2 * L <= hdp; c += 2 * L) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
            FloatVector u0 = FloatVector.zero(F), u1 = FloatVector.zero(F);
            FloatVector u2 = FloatVector.zero(F), u3 = FloatVector.zero(F);
            int i = from;
            for (; i + 4 <= to; i += 4) {
                int wi = wOff + i * stride;
                int ri = i * hdp + c;
                FloatVector w0 = FloatVector.broadcast(F, wt[wi]);
                FloatVector w1 = FloatVector.broadcast(F, wt[wi + stride]);
                FloatVector w2 = FloatVector.broadcast(F, wt[wi + 2 * stride]);
                FloatVector w3 = FloatVector.broadcast(F, wt[wi + 3 * stride]);
                s0 = FloatVector.fromArray(F, rows, ri).fma(w0, s0);
                u0 = FloatVector.fromArray(F, rows, ri + L).fma(w0, u0);
                s1 = FloatVector.fromArray(F, rows, ri + hdp).fma(w1, s1);
                u1 = FloatVector.fromArray(F, rows, ri + hdp + L).fma(w1, u1);
                s2 = FloatVector.fromArray(F, rows, ri + 2 * hdp).fma(w2, s2);
                u2 = FloatVector.fromArray(F, rows, ri + 2 * hdp + L).fma(w2, u2);
                s3 = FloatVector.fromArray(F, rows, ri + 3 * hdp).fma(w3, s3);
                u3 = FloatVector.fromArray(F, rows, ri + 3 * hdp + L).fma(w3, u3);
            }
            // the last one to three rows go to partial sums 0, 1, 2 in turn: row i always feeds sum
            // (i − from) mod 4, so a range one row longer whose extra weight is 0 gives the same bits
            if (i < to) {
                FloatVector w0 = FloatVector.broadcast(F, wt[wOff + i * stride]);
                s0 = FloatVector.fromArray(F, rows, i * hdp + c).fma(w0, s0);
                u0 = FloatVector.fromArray(F, rows, i * hdp + c + L).fma(w0, u0);
            }
            if (i + 1 < to) {
                FloatVector w1 = FloatVector.broadcast(F, wt[wOff + (i + 1) * stride]);
                s1 = FloatVector.fromArray(F, rows, (i + 1) * hdp + c).fma(w1, s1);
                u1 = FloatVector.fromArray(F, rows, (i + 1) * hdp + c + L).fma(w1, u1);
            }
            if (i + 2 < to) {
                FloatVector w2 = FloatVector.broadcast(F, wt[wOff + (i + 2) * stride]);
                s2 = FloatVector.fromArray(F, rows, (i + 2) * hdp + c).fma(w2, s2);
                u2 = FloatVector.fromArray(F, rows, (i + 2) * hdp + c + L).fma(w2, u2);
            }
            s0.add(s1).add(s2.add(s3)).intoArray(acc, c);
            u0.add(u1).add(u2.add(u3)).intoArray(acc, c + L);
        }
        for (; c < hdp; c += L) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
            int i = from;
            for (; i + 4 <= to; i += 4) {
                int wi = wOff + i * stride;
                int ri = i * hdp + c;
                s0 = FloatVector.fromArray(F, rows, ri).fma(FloatVector.broadcast(F, wt[wi]), s0);
                s1 = FloatVector.fromArray(F, rows, ri + hdp).fma(FloatVector.broadcast(F, wt[wi + stride]), s1);
                s2 = FloatVector.fromArray(F, rows, ri + 2 * hdp).fma(FloatVector.broadcast(F, wt[wi + 2 * stride]), s2);
                s3 = FloatVector.fromArray(F, rows, ri + 3 * hdp).fma(FloatVector.broadcast(F, wt[wi + 3 * stride]), s3);
            }
            if (i < to) {
                s0 = FloatVector.fromArray(F, rows, i * hdp + c).fma(FloatVector.broadcast(F, wt[wOff + i * stride]), s0);
            }
            if (i + 1 < to) {
                s1 = FloatVector.fromArray(F, rows, (i + 1) * hdp + c)
                        .fma(FloatVector.broadcast(F, wt[wOff + (i + 1) * stride]), s1);
            }
            if (i + 2 < to) {
                s2 = FloatVector.fromArray(F, rows, (i + 2) * hdp + c)
                        .fma(FloatVector.broadcast(F, wt[wOff + (i + 2) * stride]), s2);
            }
            s0.add(s1).add(s2.add(s3)).intoArray(acc, c);
        }
    }

    /**
     * The softmax numerators of one score row in place: {@code p[j] = e^(p[j]·scale − max)} over
     * [lo, end), with {@code stat[at] = max} (scaled) and {@code stat[at + 1] = Σ p[j]}; the same
     * operations in the same order as the one-query path of {@link #forward}, and masked
     * entries past a query's keys add exact zeros.
     */
    private static void softmaxNumerators(float[] p, int lo, int end, float scale, float[] stat, int at) {
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int j = lo; j < end; j += L) {
            vmax = vmax.max(FloatVector.fromArray(F, p, j));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX) * scale;
        FloatVector vsum = FloatVector.zero(F);
        for (int j = lo; j < end; j += L) {
            FloatVector e = FloatExp.exp(FloatVector.fromArray(F, p, j).fma(scale, -max));
            e.intoArray(p, j);
            vsum = vsum.add(e);
        }
        stat[at] = max;
        stat[at + 1] = VectorMath.sumInLaneOrder(vsum);
    }

    /**
     * One query's row of the probability and score-gradient blocks over keys [lo, end):
     * {@code P = e^(score·scale − lse)}, {@code dS = P·(dP − dO·O)·scale}, at {@code m + j}.
     */
    private static void probabilitiesAndScoreGradients(float[] scores, float[] dProb, int lo, int end, float scale,
                                                       float rowLse, float dOutDotOut, float[] prob, float[] dScore,
                                                       int m) {
        FloatVector dod = FloatVector.broadcast(F, dOutDotOut);
        for (int j = lo; j < end; j += L) {
            FloatVector p = FloatExp.exp(FloatVector.fromArray(F, scores, j).fma(scale, -rowLse));
            p.intoArray(prob, m + j);
            p.mul(FloatVector.fromArray(F, dProb, j).sub(dod)).mul(scale).intoArray(dScore, m + j);
        }
    }

    /**
     * {@link #timesTransposed} for two rows x0, x1 at once (two queries): each loaded vector of
     * {@code mt} feeds both. Every lane is still one fma chain over d in order, so each row's
     * results are bit-identical to {@link #timesTransposed}'s.
     */
    private static void timesTransposed2(float[] x, int x0, int x1, float[] mt, int tp, int hd, int lo, int end,
                                         float[] dst0, float[] dst1) {
        int j = lo;
        for (; j + 4 * L <= end; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            FloatVector b0 = FloatVector.zero(F), b1 = FloatVector.zero(F);
            FloatVector b2 = FloatVector.zero(F), b3 = FloatVector.zero(F);
            for (int d = 0, m = j; d < hd; d++, m += tp) {
                FloatVector xd = FloatVector.broadcast(F, x[x0 + d]);
                FloatVector yd = FloatVector.broadcast(F, x[x1 + d]);
                FloatVector m0 = FloatVector.fromArray(F, mt, m);
                FloatVector m1 = FloatVector.fromArray(F, mt, m + L);
                FloatVector m2 = FloatVector.fromArray(F, mt, m + 2 * L);
                FloatVector m3 = FloatVector.fromArray(F, mt, m + 3 * L);
                a0 = m0.fma(xd, a0);
                a1 = m1.fma(xd, a1);
                a2 = m2.fma(xd, a2);
                a3 = m3.fma(xd, a3);
                b0 = m0.fma(yd, b0);
                b1 = m1.fma(yd, b1);
                b2 = m2.fma(yd, b2);
                b3 = m3.fma(yd, b3);
            }
            a0.intoArray(dst0, j);
            a1.intoArray(dst0, j + L);
            a2.intoArray(dst0, j + 2 * L);
            a3.intoArray(dst0, j + 3 * L);
            b0.intoArray(dst1, j);
            b1.intoArray(dst1, j + L);
            b2.intoArray(dst1, j + 2 * L);
            b3.intoArray(dst1, j + 3 * L);
        }
        for (; j < end; j += L) {
            FloatVector a = FloatVector.zero(F), b = FloatVector.zero(F);
            for (int d = 0, m = j; d < hd; d++, m += tp) {
                FloatVector md = FloatVector.fromArray(F, mt, m);
                a = md.fma(FloatVector.broadcast(F, x[x0 + d]), a);
                b = md.fma(FloatVector.broadcast(F, x[x1 + d]), b);
            }
            a.intoArray(dst0, j);
            b.intoArray(dst1, j);
        }
    }

    /**
     * Weighted row sums of two queries over the same keys:
     * {@code acc[q·hdp + c] = Σ_{i ∈ [from, to)} wq[oq + i]·rows[i·hdp + c]} for weights w0, w1, each
     * row vector loaded once for both. The order of {@link #weightedRows} exactly (partial sum
     * (i − from) mod 4, added as (s0 + s1) + (s2 + s3)), so a query's output does not depend on
     * whether it was paired: the first query's weight past its last key is 0 and adds nothing.
     * Needs hdp to be a multiple of two vectors.
     */
    private static void weightedRowsOfQueries(float[] w0, int o0, float[] w1, int o1, int from, int to, float[] rows,
                                              int hdp, float[] acc) {
        for (int c = 0; c < hdp; c += 2 * L) {
            // a: query 0, b: query 1; digit 1 = partial sum, digit 2 = column vector
            FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a10 = FloatVector.zero(F);
            FloatVector a11 = FloatVector.zero(F), a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
            FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
            FloatVector b00 = FloatVector.zero(F), b01 = FloatVector.zero(F), b10 = FloatVector.zero(F);
            FloatVector b11 = FloatVector.zero(F), b20 = FloatVector.zero(F), b21 = FloatVector.zero(F);
            FloatVector b30 = FloatVector.zero(F), b31 = FloatVector.zero(F);
            int i = from;
            for (; i + 4 <= to; i += 4) {
                int ri = i * hdp + c;
                FloatVector r0 = FloatVector.fromArray(F, rows, ri);
                FloatVector r1 = FloatVector.fromArray(F, rows, ri + L);
                FloatVector u = FloatVector.broadcast(F, w0[o0 + i]);
                FloatVector v = FloatVector.broadcast(F, w1[o1 + i]);
                a00 = r0.fma(u, a00);
                a01 = r1.fma(u, a01);
                b00 = r0.fma(v, b00);
                b01 = r1.fma(v, b01);
                r0 = FloatVector.fromArray(F, rows, ri + hdp);
                r1 = FloatVector.fromArray(F, rows, ri + hdp + L);
                u = FloatVector.broadcast(F, w0[o0 + i + 1]);
                v = FloatVector.broadcast(F, w1[o1 + i + 1]);
                a10 = r0.fma(u, a10);
                a11 = r1.fma(u, a11);
                b10 = r0.fma(v, b10);
                b11 = r1.fma(v, b11);
                r0 = FloatVector.fromArray(F, rows, ri + 2 * hdp);
                r1 = FloatVector.fromArray(F, rows, ri + 2 * hdp + L);
                u = FloatVector.broadcast(F, w0[o0 + i + 2]);
                v = FloatVector.broadcast(F, w1[o1 + i + 2]);
                a20 = r0.fma(u, a20);
                a21 = r1.fma(u, a21);
                b20 = r0.fma(v, b20);
                b21 = r1.fma(v, b21);
                r0 = FloatVector.fromArray(F, rows, ri + 3 * hdp);
                r1 = FloatVector.fromArray(F, rows, ri + 3 * hdp + L);
                u = FloatVector.broadcast(F, w0[o0 + i + 3]);
                v = FloatVector.broadcast(F, w1[o1 + i + 3]);
                a30 = r0.fma(u, a30);
                a31 = r1.fma(u, a31);
                b30 = r0.fma(v, b30);
                b31 = r1.fma(v, b31);
            }
            if (i < to) {
                int ri = i * hdp + c;
                FloatVector r0 = FloatVector.fromArray(F, rows, ri);
                FloatVector r1 = FloatVector.fromArray(F, rows, ri + L);
                FloatVector u = FloatVector.broadcast(F, w0[o0 + i]);
                FloatVector v = FloatVector.broadcast(F, w1[o1 + i]);
                a00 = r0.fma(u, a00);
                a01 = r1.fma(u, a01);
                b00 = r0.fma(v, b00);
                b01 = r1.fma(v, b01);
            }
            if (i + 1 < to) {
                int ri = (i + 1) * hdp + c;
                FloatVector r0 = FloatVector.fromArray(F, rows, ri);
                FloatVector r1 = FloatVector.fromArray(F, rows, ri + L);
                FloatVector u = FloatVector.broadcast(F, w0[o0 + i + 1]);
                FloatVector v = FloatVector.broadcast(F, w1[o1 + i + 1]);
                a10 = r0.fma(u, a10);
                a11 = r1.fma(u, a11);
                b10 = r0.fma(v, b10);
                b11 = r1.fma(v, b11);
            }
            if (i + 2 < to) {
                int ri = (i + 2) * hdp + c;
                FloatVector r0 = FloatVector.fromArray(F, rows, ri);
                FloatVector r1 = FloatVector.fromArray(F, rows, ri + L);
                FloatVector u = FloatVector.broadcast(F, w0[o0 + i + 2]);
                FloatVector v = FloatVector.broadcast(F, w1[o1 + i + 2]);
                a20 = r0.fma(u, a20);
                a21 = r1.fma(u, a21);
                b20 = r0.fma(v, b20);
                b21 = r1.fma(v, b21);
            }
            a00.add(a10).add(a20.add(a30)).intoArray(acc, c);
            a01.add(a11).add(a21.add(a31)).intoArray(acc, c + L);
            b00.add(b10).add(b20.add(b30)).intoArray(acc, hdp + c);
            b01.add(b11).add(b21.add(b31)).intoArray(acc, hdp + c + L);
        }
    }

    /** Whether positions {@code [index, index + n)} all end their documents at the same position (one document). */
    private static boolean sameDocumentEnd(DocumentSpans spans, int index, int n) {
        int last = spans.last(index);
        for (int i = 1; i < n; i++) {
            if (spans.last(index + i) != last) {
                return false;
            }
        }
        return true;
    }

    /** {@code dst[off + r·stride + d] += acc[r·hdp + d]} for the first {@code n} rows of acc. */
    private static void addRows(float[] acc, int hdp, float[] dst, int off, int stride, int hd, int n) {
        for (int r = 0; r < n; r++) {
            for (int d = 0; d < hd; d++) {
                dst[off + r * stride + d] += acc[r * hdp + d];
            }
        }
    }

    /**
     * {@link #weightedRows} for the {@link #KEYS} neighbouring keys {@code j…j+3} of one document
     * (dV and dK rows): {@code acc[q·hdp + c] = Σ_{t ∈ [j+q, tEnd)} wt[wOff + q + t·stride]·rows[t·hdp + c]},
     * the causal triangle {@code t < j + q} weighted by an exact 0 (its P and dS entries are masked
     * zeros or, past a query's last vector of keys, never written). Each row vector and each
     * query's run of four weights is loaded once for all four keys, so eight fmas take two vector
     * loads and four broadcasts instead of eight and eight. One chain per output in t order.
     * Needs hdp to be a multiple of two vectors.
     */
    private static void weightedRowsOfKeys(float[] wt, int wOff, int stride, int j, int tEnd, float[] rows, int hdp,
                                           float[] acc) {
        for (int c = 0; c < hdp; c += 2 * L) {
            FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
            FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
            FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
            for (int t = j; t < tEnd; t++) {
                int wi = wOff + t * stride;
                int ri = t * hdp + c;
                FloatVector r0 = FloatVector.fromArray(F, rows, ri);
                FloatVector r1 = FloatVector.fromArray(F, rows, ri + L);
                FloatVector w0 = FloatVector.broadcast(F, wt[wi]);
                FloatVector w1 = FloatVector.broadcast(F, t > j ? wt[wi + 1] : 0f);
                FloatVector w2 = FloatVector.broadcast(F, t > j + 1 ? wt[wi + 2] : 0f);
                FloatVector w3 = FloatVector.broadcast(F, t > j + 2 ? wt[wi + 3] : 0f);
                a00 = r0.fma(w0, a00);
                a01 = r1.fma(w0, a01);
                a10 = r0.fma(w1, a10);
                a11 = r1.fma(w1, a11);
                a20 = r0.fma(w2, a20);
                a21 = r1.fma(w2, a21);
                a30 = r0.fma(w3, a30);
                a31 = r1.fma(w3, a31);
            }
            a00.intoArray(acc, c);
            a01.intoArray(acc, c + L);
            a10.intoArray(acc, hdp + c);
            a11.intoArray(acc, hdp + c + L);
            a20.intoArray(acc, 2 * hdp + c);
            a21.intoArray(acc, 2 * hdp + c + L);
            a30.intoArray(acc, 3 * hdp + c);
            a31.intoArray(acc, 3 * hdp + c + L);
        }
    }

    /** Per-thread buffers of one task, reused while the sizes stay the same. */
    private static final class Scratch {
        int seqLen = -1;
        int hd = -1;
        int block = -1;
        /** Row length of the transposed copies: T plus a vector, so any vector from a key ≤ T − 1 is in bounds. */
        int tp;
        /** Head dimension rounded up to whole vectors. */
        int hdp;
        /** Row length of the P and dS blocks: the key block plus a vector. */
        int bp;
        float[] kt;
        float[] vt;
        float[] kc;
        float[] vc;
        float[] qc;
        float[] dOc;
        float[] scores;
        float[] scores2;
        float[] dProb;
        float[] dProb2;
        float[] dOutDotOut;
        float[] prob;
        float[] dScore;
        float[] acc;
        /** max and sum of two softmax rows ({@link #softmaxNumerators}). */
        final float[] stat = new float[4];

        Scratch size(int seqLen, int hd, int block) {
            if (seqLen == this.seqLen && hd == this.hd && block == this.block) {
                return this;
            }
            this.seqLen = seqLen;
            this.hd = hd;
            this.block = block;
            tp = vectorsFor(seqLen) * L + L;
            hdp = vectorsFor(hd) * L;
            bp = vectorsFor(block) * L + L;
            kt = new float[hd * tp];
            vt = new float[hd * tp];
            kc = new float[seqLen * hdp];
            vc = new float[seqLen * hdp];
            qc = new float[seqLen * hdp];
            dOc = new float[seqLen * hdp];
            scores = new float[tp];
            scores2 = new float[tp];
            dProb = new float[tp];
            dProb2 = new float[tp];
            dOutDotOut = new float[seqLen];
            prob = new float[seqLen * bp];
            dScore = new float[seqLen * bp];
            acc = new float[KEYS * hdp];
            return this;
        }

        /** {@code dst[d·tp + j] = src[off + j·stride + d]}; the padding columns stay zero. */
        void transpose(float[] src, int off, int stride, float[] dst) {
            for (int j = 0; j < seqLen; j++) {
                int at = off + j * stride;
                for (int d = 0; d < hd; d++) {
                    dst[d * tp + j] = src[at + d];
                }
            }
        }

        /** {@code dst[j·hdp + d] = src[off + j·stride + d]}; the padding lanes stay zero. */
        void rows(float[] src, int off, int stride, float[] dst) {
            for (int j = 0; j < seqLen; j++) {
                System.arraycopy(src, off + j * stride, dst, j * hdp, hd);
            }
        }
    }
}
