package org.llama3j.train.layers;

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

    private DocumentMaskedAttention() {
    }

    /** out = softmax(q·kᵀ/√d + mask)·v per head; lse receives each row's log-sum-exp. */
    public static void forward(WorkerPool pool, Shape s, float[] q, float[] k, float[] v, int[] docIds,
                               float[] out, float[] lse) {
        int hd = s.headDim();
        int qRow = s.heads() * hd;
        int kvRow = s.kvHeads() * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        pool.forRange(s.batch() * s.heads(), 1, (i0, i1) -> {
            float[] p = new float[s.seqLen()];
            for (int task = i0; task < i1; task++) {
                int b = task / s.heads();
                int h = task % s.heads();
                int kvh = h / s.group();
                int rowBase = b * s.seqLen();
                for (int t = 0; t < s.seqLen(); t++) {
                    int qOff = (rowBase + t) * qRow + h * hd;
                    int doc = docIds[rowBase + t];
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        if (docIds[rowBase + j] != doc) {
                            continue;
                        }
                        float score = VectorMath.dot(q, qOff, k, (rowBase + j) * kvRow + kvh * hd, hd) * scale;
                        p[j] = score;
                        max = Math.max(max, score);
                    }
                    float sum = 0f;
                    for (int j = 0; j <= t; j++) {
                        if (docIds[rowBase + j] == doc) {
                            p[j] = (float) Math.exp(p[j] - max);
                            sum += p[j];
                        }
                    }
                    int oOff = (rowBase + t) * qRow + h * hd;
                    java.util.Arrays.fill(out, oOff, oOff + hd, 0f);
                    float inv = 1f / sum;
                    for (int j = 0; j <= t; j++) {
                        if (docIds[rowBase + j] == doc) {
                            VectorMath.axpy(p[j] * inv, v, (rowBase + j) * kvRow + kvh * hd, out, oOff, hd);
                        }
                    }
                    lse[(rowBase + t) * s.heads() + h] = max + (float) Math.log(sum);
                }
            }
        });
    }

    /**
     * Accumulates dQ, dK, dV. With P recomputed as exp(score − lse): dV_j += Σ_t P_tj·dO_t;
     * dS_tj = P_tj·(dO_t·v_j − dO_t·O_t); dQ_t += scale·Σ_j dS_tj·k_j; dK_j += scale·Σ_t dS_tj·q_t.
     * Parallel over (batch, kv head): each block owns the dK/dV rows of its kv head and the dQ rows
     * of the query heads that share it.
     */
    public static void backward(WorkerPool pool, Shape s, float[] q, float[] k, float[] v, int[] docIds,
                                float[] out, float[] lse, float[] dOut,
                                float[] dq, float[] dk, float[] dv) {
        int hd = s.headDim();
        int qRow = s.heads() * hd;
        int kvRow = s.kvHeads() * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        pool.forRange(s.batch() * s.kvHeads(), 1, (i0, i1) -> {
            for (int task = i0; task < i1; task++) {
                int b = task / s.kvHeads();
                int kvh = task % s.kvHeads();
                int rowBase = b * s.seqLen();
                for (int h = kvh * s.group(); h < (kvh + 1) * s.group(); h++) {
                    for (int t = 0; t < s.seqLen(); t++) {
                        int qOff = (rowBase + t) * qRow + h * hd;
                        int doc = docIds[rowBase + t];
                        float rowLse = lse[(rowBase + t) * s.heads() + h];
                        float dOutDotOut = VectorMath.dot(dOut, qOff, out, qOff, hd);
                        for (int j = 0; j <= t; j++) {
                            if (docIds[rowBase + j] != doc) {
                                continue;
                            }
                            int kvOff = (rowBase + j) * kvRow + kvh * hd;
                            float score = VectorMath.dot(q, qOff, k, kvOff, hd) * scale;
                            float prob = (float) Math.exp(score - rowLse);
                            VectorMath.axpy(prob, dOut, qOff, dv, kvOff, hd);
                            float dProb = VectorMath.dot(dOut, qOff, v, kvOff, hd);
                            float dScore = prob * (dProb - dOutDotOut) * scale;
                            VectorMath.axpy(dScore, k, kvOff, dq, qOff, hd);
                            VectorMath.axpy(dScore, q, qOff, dk, kvOff, hd);
                        }
                    }
                }
            }
        });
    }
}
