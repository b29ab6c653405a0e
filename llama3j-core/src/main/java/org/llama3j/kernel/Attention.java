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
