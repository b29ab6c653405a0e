package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal grouped-query attention of one token over one KV head's cached positions, for all the
 * query heads that share that KV head at once. Scores live in a per-thread buffer of one float per
 * position and head of the group, so memory grows linearly with the context, never with its square.
 *
 * <p>F32 keys are stored transposed in blocks of {@link #KEY_BLOCK} positions ({@link #keyIndex}), so a
 * vector of scores for consecutive positions is a chain of FMAs over the head dimension with no horizontal
 * sums; the weighted sum of values keeps each head's output in registers across all positions. Both
 * replaced a dot product and an in-memory axpy per (position, head): attention was 9.4% of a 512-token
 * prefill's CPU time, at a tenth of the GEMM's efficiency (bench/RESULTS.md, "Attention and the serial steps
 * of prefill").
 *
 * <p>Numerics as ggml's {@code soft_max}: scaled scores, max subtracted, exponentials summed in
 * double, weights normalised before the weighted sum of values.
 */
public final class Attention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Positions per transposed key block: a multiple of every lane count up to AVX-512's 16 floats. */
    public static final int KEY_BLOCK = 16;
    private static final ThreadLocal<float[][]> SCORES = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Per-thread buffer for the sixteen folded ggml lanes of a block's scores. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[16 * L]);

    private Attention() {
    }

    /**
     * Where element {@code e} (of {@code kvDim}, all KV heads side by side) of the key at position {@code p}
     * lives in an F32 key array: blocks of {@link #KEY_BLOCK} positions, each {@code kvDim} rows of
     * {@code KEY_BLOCK} positions.
     */
    public static int keyIndex(int p, int kvDim, int e) {
        return ((p / KEY_BLOCK) * kvDim + e) * KEY_BLOCK + p % KEY_BLOCK;
    }

    /**
     * Writes {@code group} heads of output at {@code out[outOff + g·headDim ..]} from the queries at
     * {@code q[qOff + g·headDim ..]}, attending over positions {@code [0, len)}: keys in the blocked layout of
     * {@link #keyIndex} (this KV head's elements from {@code kvOff}), values position-major at
     * {@code values[p·kvDim + kvOff ..]}.
     */
    public static void groupAttend(float[] q, int qOff, int group, int headDim, float[] keys, float[] values,
                                   int kvDim, int kvOff, int len, float scale, float[] out, int outOff) {
        int blocks = (len + KEY_BLOCK - 1) / KEY_BLOCK;
        int stride = blocks * KEY_BLOCK;
        float[][] holder = SCORES.get();
        if (holder[0].length < group * stride) {
            holder[0] = new float[Math.max(group * stride, 2 * holder[0].length)];
        }
        float[] scores = holder[0];
        float[] lanes = LANES.get();
        // block outer, heads inner: a block's keys (4 KB at head size 64) are read from L2 once per group and
        // then from L1; heads outer read them once per head, which bounded this loop by L2 bandwidth
        for (int b = 0; b < blocks; b++) {
            int kb = (b * kvDim + kvOff) * KEY_BLOCK;
            for (int g = 0; g < group; g++) {
                keyScores(q, qOff + g * headDim, headDim, keys, kb, scale, scores, g * stride + b * KEY_BLOCK, lanes);
            }
        }
        for (int g = 0; g < group; g++) {
            GgmlMath.softmax(scores, g * stride, len);
        }
        // the same for the values, in chunks of positions; each lane's FMA chain continues across chunks
        for (int p0 = 0; p0 < len; p0 += VALUE_CHUNK) {
            int p1 = Math.min(len, p0 + VALUE_CHUNK);
            for (int g = 0; g < group; g++) {
                weightedValues(scores, g * stride, p0, p1, values, kvDim, kvOff, headDim, out, outOff + g * headDim);
            }
        }
    }

    /** Positions per chunk of the weighted value sum: 8 KB of one head's values at head size 64, in L1. */
    private static final int VALUE_CHUNK = 32;

    /**
     * Scores of one block of {@link #KEY_BLOCK} positions (its key rows from {@code kb}, one row of
     * positions per element of the head) for one query head, times {@code scale}. Each lane sums its dot
     * product in the order of ggml's AVX-512 {@code ggml_vec_dot_f32}, which the golden logits come from: in
     * steps of {@link #GGML_STEP} elements, sixteen lanes × four accumulators of FMA chains, the accumulators
     * added pairwise, the lanes in {@code _mm512_reduce_add_ps}'s tree, then the leftover elements as one FMA
     * chain. Other orders are as accurate, but one ulp in an attention output becomes a whole step of the
     * next F16 or BF16 matmul's rounded activations (1.8e-4 in the F16 golden model's logits).
     */
    private static void keyScores(float[] q, int qo, int headDim, float[] keys, int kb, float scale,
                                  float[] scores, int at, float[] lanes) {
        int np = headDim & -GGML_STEP;
        for (int j = 0; j < KEY_BLOCK; j += L) {
            int k = kb + j;
            FloatVector r = FloatVector.zero(S);
            if (np > 0) {
                // ggml's lanes, folded, through an array: helpers returning vectors would be boxed
                // whenever C2 does not inline them (measured: slower than the old per-position dot)
                for (int l = 0; l < 16; l++) {
                    FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                    FloatVector a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
                    for (int e = l; e < np; e += GGML_STEP) {
                        int ke = k + e * KEY_BLOCK;
                        a0 = FloatVector.fromArray(S, keys, ke).fma(FloatVector.broadcast(S, q[qo + e]), a0);
                        a1 = FloatVector.fromArray(S, keys, ke + 16 * KEY_BLOCK).fma(FloatVector.broadcast(S, q[qo + e + 16]), a1);
                        a2 = FloatVector.fromArray(S, keys, ke + 32 * KEY_BLOCK).fma(FloatVector.broadcast(S, q[qo + e + 32]), a2);
                        a3 = FloatVector.fromArray(S, keys, ke + 48 * KEY_BLOCK).fma(FloatVector.broadcast(S, q[qo + e + 48]), a3);
                    }
                    a0.add(a2).add(a1.add(a3)).intoArray(lanes, l * L);
                }
                // _mm512_reduce_add_ps: lane l + lane l+8, then + l+4, then + l+2, then + l+1
                for (int h = 8; h >= 1; h >>= 1) {
                    for (int l = 0; l < h; l++) {
                        FloatVector.fromArray(S, lanes, l * L).add(FloatVector.fromArray(S, lanes, (l + h) * L))
                                .intoArray(lanes, l * L);
                    }
                }
                r = FloatVector.fromArray(S, lanes, 0);
            }
            for (int d = np; d < headDim; d++) {
                r = FloatVector.fromArray(S, keys, k + d * KEY_BLOCK).fma(FloatVector.broadcast(S, q[qo + d]), r);
            }
            r.mul(scale).intoArray(scores, at + j);
        }
    }

    /** ggml's {@code GGML_F32_STEP} on AVX-512: elements per step of its four 16-lane accumulators. */
    private static final int GGML_STEP = 64;

    /**
     * {@code out[0..headDim) (+)= Σₚ w[p]·v[p]} over positions {@code [p0, p1)} for one head (stored at
     * {@code p0 = 0}, added after), each lane an FMA chain in position order (the order of an axpy per
     * position): four vectors of the head at a time stay in registers over the chunk.
     */
    private static void weightedValues(float[] w, int wo, int p0, int p1, float[] values, int kvDim, int kvOff,
                                       int headDim, float[] out, int outOff) {
        boolean first = p0 == 0;
        int d = 0;
        for (; d + 4 * L <= headDim; d += 4 * L) {
            int o = outOff + d;
            FloatVector a0 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o);
            FloatVector a1 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + L);
            FloatVector a2 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 2 * L);
            FloatVector a3 = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, o + 3 * L);
            for (int p = p0, v = p0 * kvDim + kvOff + d; p < p1; p++, v += kvDim) {
                FloatVector s = FloatVector.broadcast(S, w[wo + p]);
                a0 = FloatVector.fromArray(S, values, v).fma(s, a0);
                a1 = FloatVector.fromArray(S, values, v + L).fma(s, a1);
                a2 = FloatVector.fromArray(S, values, v + 2 * L).fma(s, a2);
                a3 = FloatVector.fromArray(S, values, v + 3 * L).fma(s, a3);
            }
            a0.intoArray(out, o);
            a1.intoArray(out, o + L);
            a2.intoArray(out, o + 2 * L);
            a3.intoArray(out, o + 3 * L);
        }
        for (; d + L <= headDim; d += L) {
            FloatVector a = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, outOff + d);
            for (int p = p0, v = p0 * kvDim + kvOff + d; p < p1; p++, v += kvDim) {
                a = FloatVector.fromArray(S, values, v).fma(FloatVector.broadcast(S, w[wo + p]), a);
            }
            a.intoArray(out, outOff + d);
        }
        for (; d < headDim; d++) {
            float a = first ? 0f : out[outOff + d];
            for (int p = p0, v = p0 * kvDim + kvOff + d; p < p1; p++, v += kvDim) {
                a = Math.fma(values[v], w[wo + p], a);
            }
            out[outOff + d] = a;
        }
    }

    private static final ThreadLocal<float[][]> F16_SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    /**
     * As {@link #groupAttend} over an F16 cache (half bit patterns), with llama.cpp's numerics for
     * {@code -ctk f16 -ctv f16} without flash attention: the F16 K·Q product rounds the queries to
     * half (F16's {@code vec_dot_type}) and the F16 V·softmax product rounds the softmax weights to
     * half; sums in float, softmax as in the F32 path.
     */
    public static void groupAttendF16(float[] q, int qOff, int group, int headDim, short[] keys, short[] values,
                                      int kvStride, int kvOff, int len, float scale, float[] out, int outOff) {
        int stride = len;
        float[][] holder = SCORES.get();
        if (holder[0].length < group * stride) {
            holder[0] = new float[Math.max(group * stride, 2 * holder[0].length)];
        }
        float[] scores = holder[0];
        float[][] scratch = F16_SCRATCH.get();
        if (scratch[0].length < group * headDim) {
            scratch[0] = new float[group * headDim];
            scratch[1] = new float[headDim];
        }
        float[] qh = scratch[0];
        float[] row = scratch[1];
        for (int i = 0; i < group * headDim; i++) {
            qh[i] = Float.float16ToFloat(Float.floatToFloat16(q[qOff + i]));
        }
        for (int p = 0; p < len; p++) {
            halfRow(keys, p * kvStride + kvOff, row, headDim);
            for (int g = 0; g < group; g++) {
                scores[g * stride + p] = VectorMath.dot(qh, g * headDim, row, 0, headDim) * scale;
            }
        }
        for (int g = 0; g < group; g++) {
            int so = g * stride;
            GgmlMath.softmax(scores, so, len);
            for (int p = 0; p < len; p++) {
                scores[so + p] = Float.float16ToFloat(Float.floatToFloat16(scores[so + p]));
            }
            java.util.Arrays.fill(out, outOff + g * headDim, outOff + (g + 1) * headDim, 0f);
        }
        for (int p = 0; p < len; p++) {
            halfRow(values, p * kvStride + kvOff, row, headDim);
            for (int g = 0; g < group; g++) {
                VectorMath.axpy(scores[g * stride + p], row, 0, out, outOff + g * headDim, headDim);
            }
        }
    }

    private static void halfRow(short[] h, int off, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = Float.float16ToFloat(h[off + i]);
        }
    }
}
