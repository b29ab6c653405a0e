package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal grouped-query attention of one token over one KV head's cached positions, for all the
 * query heads that share that KV head at once. Scores live in a per-thread buffer of one float per
 * position and head of the group, so memory grows linearly with the context, never with its square.
 *
 * <p>The F32 cache is kept in blocks of {@link #KEY_BLOCK} positions: keys transposed ({@link #keyIndex}), so a
 * vector of scores for consecutive positions is a chain of FMAs over the head dimension with no horizontal
 * sums, and each head's values together ({@link #valueIndex}), summed with four vectors of a head's output in
 * registers over chunks of positions. They replaced a dot product and an in-memory axpy per (position, head):
 * attention was 9.4% of a 512-token prefill's CPU time for 1.4% of its FLOPs; one layer of it now takes 38–43 ms
 * instead of 97–114 (bench/RESULTS.md, "Attention and the serial steps of prefill"). The F16 cache keeps the
 * per-position form.
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
     * Where the value vector of KV head {@code kvHead} at position {@code p} starts in an F32 value array
     * ({@code headDim} elements from there): blocks of {@link #KEY_BLOCK} positions, each head's sixteen rows
     * contiguous. Position-major rows (all heads side by side, 2 KB apart at the 1B model's size) made the
     * weighted sum read one head's 256 bytes per 2 KB, rows that share L1 sets, so they were evicted between
     * the heads of a group.
     */
    public static int valueIndex(int p, int kvDim, int headDim, int kvHead) {
        return ((p / KEY_BLOCK) * kvDim + kvHead * headDim) * KEY_BLOCK + (p % KEY_BLOCK) * headDim;
    }

    /**
     * Writes {@code group} heads of output at {@code out[outOff + g·headDim ..]} from the queries at
     * {@code q[qOff + g·headDim ..]}, attending over positions {@code [0, len)}: keys in the blocked layout of
     * {@link #keyIndex} (this KV head's elements from {@code kvOff}), values in that of {@link #valueIndex}.
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
        // blocks outer (two at a time, so each query broadcast feeds two FMAs), heads inner: the blocks' keys
        // (8 KB at head size 64) are read from L2 once per group and then from L1
        for (int b = 0; b < blocks; b += 2) {
            int kb = (b * kvDim + kvOff) * KEY_BLOCK;
            int kb1 = b + 1 < blocks ? kb + kvDim * KEY_BLOCK : kb;
            for (int g = 0; g < group; g++) {
                int at = g * stride + b * KEY_BLOCK;
                keyScores(q, qOff + g * headDim, headDim, keys, kb, kb1, scale, scores, at,
                        b + 1 < blocks ? at + KEY_BLOCK : at);
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
     * Scores of two blocks of {@link #KEY_BLOCK} positions (key rows from {@code kb0} and {@code kb1}, one row
     * of positions per element of the head; the same block twice at an odd end) for one query head, times
     * {@code scale}. Below 64 elements (ggml's AVX-512 step, {@code GGML_F32_STEP}) each lane is one FMA chain in
     * element order, which is ggml's {@code ggml_vec_dot_f32} exactly: one ulp of difference in an attention
     * output becomes a whole step of the next F16 matmul's rounded activations (1.8e-4 in the F16 golden
     * model's logits with another order). From 64 on, four chains over the elements mod 4 (ggml's sixteen-lane
     * order there costs twice the operations and is no more accurate).
     */
    private static void keyScores(float[] q, int qo, int headDim, float[] keys, int kb0, int kb1, float scale,
                                  float[] scores, int at0, int at1) {
        for (int j = 0; j < KEY_BLOCK; j += L) {
            int k0 = kb0 + j;
            int k1 = kb1 + j;
            FloatVector r0;
            FloatVector r1;
            if (headDim < 64) {
                r0 = FloatVector.zero(S);
                r1 = FloatVector.zero(S);
                for (int d = 0; d < headDim; d++) {
                    FloatVector x = FloatVector.broadcast(S, q[qo + d]);
                    r0 = FloatVector.fromArray(S, keys, k0 + d * KEY_BLOCK).fma(x, r0);
                    r1 = FloatVector.fromArray(S, keys, k1 + d * KEY_BLOCK).fma(x, r1);
                }
            } else {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                FloatVector a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
                FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
                FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
                int d = 0;
                for (; d + 4 <= headDim; d += 4) {
                    int e0 = k0 + d * KEY_BLOCK;
                    int e1 = k1 + d * KEY_BLOCK;
                    FloatVector x = FloatVector.broadcast(S, q[qo + d]);
                    a0 = FloatVector.fromArray(S, keys, e0).fma(x, a0);
                    c0 = FloatVector.fromArray(S, keys, e1).fma(x, c0);
                    x = FloatVector.broadcast(S, q[qo + d + 1]);
                    a1 = FloatVector.fromArray(S, keys, e0 + KEY_BLOCK).fma(x, a1);
                    c1 = FloatVector.fromArray(S, keys, e1 + KEY_BLOCK).fma(x, c1);
                    x = FloatVector.broadcast(S, q[qo + d + 2]);
                    a2 = FloatVector.fromArray(S, keys, e0 + 2 * KEY_BLOCK).fma(x, a2);
                    c2 = FloatVector.fromArray(S, keys, e1 + 2 * KEY_BLOCK).fma(x, c2);
                    x = FloatVector.broadcast(S, q[qo + d + 3]);
                    a3 = FloatVector.fromArray(S, keys, e0 + 3 * KEY_BLOCK).fma(x, a3);
                    c3 = FloatVector.fromArray(S, keys, e1 + 3 * KEY_BLOCK).fma(x, c3);
                }
                for (; d < headDim; d++) {
                    FloatVector x = FloatVector.broadcast(S, q[qo + d]);
                    a0 = FloatVector.fromArray(S, keys, k0 + d * KEY_BLOCK).fma(x, a0);
                    c0 = FloatVector.fromArray(S, keys, k1 + d * KEY_BLOCK).fma(x, c0);
                }
                r0 = a0.add(a1).add(a2.add(a3));
                r1 = c0.add(c1).add(c2.add(c3));
            }
            r0.mul(scale).intoArray(scores, at0 + j);
            r1.mul(scale).intoArray(scores, at1 + j);
        }
    }

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
            for (int p = p0; p < p1; p++) {
                int v = valueRow(p, kvDim, kvOff, headDim) + d;
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
            for (int p = p0; p < p1; p++) {
                int v = valueRow(p, kvDim, kvOff, headDim) + d;
                a = FloatVector.fromArray(S, values, v).fma(FloatVector.broadcast(S, w[wo + p]), a);
            }
            a.intoArray(out, outOff + d);
        }
        for (; d < headDim; d++) {
            float a = first ? 0f : out[outOff + d];
            for (int p = p0; p < p1; p++) {
                a = Math.fma(values[valueRow(p, kvDim, kvOff, headDim) + d], w[wo + p], a);
            }
            out[outOff + d] = a;
        }
    }

    /** {@link #valueIndex} with the head as its element offset {@code kvOff = kvHead·headDim}. */
    private static int valueRow(int p, int kvDim, int kvOff, int headDim) {
        return ((p >> 4) * kvDim + kvOff) * KEY_BLOCK + (p & (KEY_BLOCK - 1)) * headDim;
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
        float[][] holder = SCORES.get();
        if (holder[0].length < group * len) {
            holder[0] = new float[Math.max(group * len, 2 * holder[0].length)];
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
                scores[g * len + p] = VectorMath.dot(qh, g * headDim, row, 0, headDim) * scale;
            }
        }
        for (int g = 0; g < group; g++) {
            int so = g * len;
            GgmlMath.softmax(scores, so, len);
            for (int p = 0; p < len; p++) {
                scores[so + p] = Float.float16ToFloat(Float.floatToFloat16(scores[so + p]));
            }
            java.util.Arrays.fill(out, outOff + g * headDim, outOff + (g + 1) * headDim, 0f);
        }
        for (int p = 0; p < len; p++) {
            halfRow(values, p * kvStride + kvOff, row, headDim);
            for (int g = 0; g < group; g++) {
                VectorMath.axpy(scores[g * len + p], row, 0, out, outOff + g * headDim, headDim);
            }
        }
    }

    private static void halfRow(short[] h, int off, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = Float.float16ToFloat(h[off + i]);
        }
    }
}
