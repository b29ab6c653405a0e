package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal grouped-query attention of one token over one KV head's cached positions, for all the
 * query heads that share that KV head at once: each cached key and value vector is loaded once
 * per group instead of once per query head. Scores live in a per-thread buffer of one float per
 * position and head of the group, so memory grows linearly with the context, never with its square.
 *
 * <p>Numerics as ggml's {@code soft_max}: scaled scores, max subtracted, exponentials summed in
 * double, weights normalised before the weighted sum of values.
 */
public final class Attention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ThreadLocal<float[][]> SCORES = ThreadLocal.withInitial(() -> new float[1][0]);

    private Attention() {
    }

    /**
     * Writes {@code group} heads of output at {@code out[outOff + g·headDim ..]} from the queries at
     * {@code q[qOff + g·headDim ..]}, attending over positions {@code [0, len)} whose keys and
     * values for this KV head start at {@code keys[p·kvStride + kvOff]} and {@code values[...]}.
     */
    public static void groupAttend(float[] q, int qOff, int group, int headDim, float[] keys, float[] values,
                                   int kvStride, int kvOff, int len, float scale, float[] out, int outOff) {
        float[][] holder = SCORES.get();
        if (holder[0].length < group * len) {
            holder[0] = new float[Math.max(group * len, 2 * holder[0].length)];
        }
        float[] scores = holder[0];
        boolean vector = headDim % S.length() == 0;
        for (int g = 0; g < group; g++) {
            int qo = qOff + g * headDim;
            int so = g * len;
            float max = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < len; p++) {
                float sc = (vector ? dotVec(q, qo, keys, p * kvStride + kvOff, headDim)
                        : VectorMath.dot(q, qo, keys, p * kvStride + kvOff, headDim)) * scale;
                scores[so + p] = sc;
                max = Math.max(max, sc);
            }
            double sum = 0;
            for (int p = 0; p < len; p++) {
                float e = (float) Math.exp(scores[so + p] - max);
                scores[so + p] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int p = 0; p < len; p++) {
                scores[so + p] *= inv;
            }
            java.util.Arrays.fill(out, outOff + g * headDim, outOff + (g + 1) * headDim, 0f);
        }
        for (int p = 0; p < len; p++) {
            int vo = p * kvStride + kvOff;
            for (int g = 0; g < group; g++) {
                VectorMath.axpy(scores[g * len + p], values, vo, out, outOff + g * headDim, headDim);
            }
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
            float max = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < len; p++) {
                max = Math.max(max, scores[so + p]);
            }
            double sum = 0;
            for (int p = 0; p < len; p++) {
                float e = (float) Math.exp(scores[so + p] - max);
                scores[so + p] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int p = 0; p < len; p++) {
                scores[so + p] = Float.float16ToFloat(Float.floatToFloat16(scores[so + p] * inv));
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

    /** Dot product of whole vectors with two accumulators (head dims are multiples of the lane count). */
    private static float dotVec(float[] a, int aOff, float[] b, int bOff, int n) {
        int l = S.length();
        FloatVector acc0 = FloatVector.fromArray(S, a, aOff).mul(FloatVector.fromArray(S, b, bOff));
        FloatVector acc1 = FloatVector.zero(S);
        int i = l;
        for (; i + l < n; i += 2 * l) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(S, a, aOff + i + l).fma(FloatVector.fromArray(S, b, bOff + i + l), acc1);
        }
        if (i < n) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
        }
        return VectorMath.sum(acc0.add(acc1));
    }
}
