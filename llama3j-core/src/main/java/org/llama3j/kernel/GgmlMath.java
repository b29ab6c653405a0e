package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponential as ggml's CPU backend computes it for softmax and SiLU ({@code ggml_v_expf} in
 * {@code ggml-cpu/vec.h}, AVX-512 form), operation for operation, and the softmax that uses it
 * ({@code ggml_vec_soft_max_f32}); also SwiGLU by rows, for parallel callers.
 *
 * <p>Why not {@code Math.exp}: it is a scalar call of about 20 cycles, and a 512-token prefill of the 1B model
 * takes 67 million exponentials in attention and as many in SwiGLU (together about 7% of its time). Why not
 * the Vector API's {@code EXP}: its last bit differs from ggml's, and the next F16/BF16 matmul's rounding of
 * the activations turns one ulp into logit differences of 1e-4. ggml's own polynomial in vectors is both
 * fast and, lane for lane, exactly the reference's value.
 */
public final class GgmlMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** ggml's vector width on AVX-512: its softmax sums the exponentials sixteen at a time. */
    private static final int CHUNK = 16;

    private GgmlMath() {
    }

    /**
     * {@code ggml_v_expf}: {@code e^x = 2^n · p(b)} with {@code n = round(x·log₂e)} (by the 1.5·2²³ trick),
     * {@code b = x − n·ln 2} in two FMA steps, {@code p} a degree-5 polynomial; {@code |n| > 192} gives 0 or
     * infinity. ggml scales by {@code 2^n} with {@code vscalefps} (one rounding); here two exact powers of two
     * {@code 2^a · 2^(n−a)} do the same: the first product stays normal, so only the second rounds.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector r = FloatVector.broadcast(S, 0x1.8p23f);
        FloatVector z = x.fma(FloatVector.broadcast(S, 0x1.715476p+0f), r);
        FloatVector n = z.sub(r);
        FloatVector negN = n.neg();
        FloatVector b = negN.fma(FloatVector.broadcast(S, 0x1.7f7d1cp-20f),
                negN.fma(FloatVector.broadcast(S, 0x1.62e4p-1f), x));
        VectorMask<Float> huge = n.abs().compare(VectorOperators.GT, 192f);
        FloatVector u = b.mul(b);
        FloatVector j = FloatVector.broadcast(S, 0x1.0e4020p-7f).fma(b, FloatVector.broadcast(S, 0x1.573e2ep-5f))
                .fma(u, FloatVector.broadcast(S, 0x1.555e66p-3f).fma(b, FloatVector.broadcast(S, 0x1.fffdb6p-2f)))
                .fma(u, FloatVector.broadcast(S, 0x1.ffffecp-1f).fma(b, FloatVector.broadcast(S, 1f)));
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector a = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector c = ni.sub(a);
        FloatVector pa = a.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector pc = c.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector res = j.mul(pa).mul(pc);
        FloatVector alt = FloatVector.zero(S).blend(Float.POSITIVE_INFINITY, n.compare(VectorOperators.GT, 0f));
        return res.blend(alt, huge);
    }

    /**
     * {@code gate[i] = silu(gate[i]) · up[i]}, {@code silu(x) = x / (1 + e^−x)}, for rows {@code [from, to)} of
     * {@code n} elements (so callers can split rows between workers), with the scalar exponential. llama.cpp's
     * AVX-512 build computes SiLU with {@link #exp} ({@code ggml_v_silu}), but with it the F16-KV golden model's
     * logits moved from 4.3e-6 to 2.1e-5 of llama.cpp's, so the scalar form stays until that is understood.
     */
    public static void swiGlu(float[] gate, float[] up, int n, int from, int to) {
        for (int i = from * n, end = to * n; i < end; i++) {
            float x = gate[i];
            gate[i] = x / (1.0f + (float) Math.exp(-x)) * up[i];
        }
    }

    /**
     * {@code s[o..o+len)} ← softmax, as ggml's {@code soft_max} does a row: max subtracted, exponentials of
     * whole sixteens with {@link #exp}, each sixteen summed in {@code _mm512_reduce_add_ps}'s order and added
     * in double, the last {@code len mod 16} with the scalar {@code expf} and added one by one, then every weight
     * multiplied by the float reciprocal of the sum. (ggml's row is its batch's KV length, with masked
     * positions; for a row shorter than sixteen, as in one-token decoding of a short context, every term is
     * scalar. Matching that split is what keeps the F16 golden model's logits within 4e-9 of llama.cpp's.)
     */
    public static void softmax(float[] s, int o, int len) {
        float m = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < len; p++) {
            m = Math.max(m, s[o + p]);
        }
        FloatVector max = FloatVector.broadcast(S, m);
        int vectorEnd = len / CHUNK * CHUNK;
        double sum = 0;
        for (int p = 0; p < vectorEnd; p += CHUNK) {
            for (int q = p; q < p + CHUNK; q += L) {
                exp(FloatVector.fromArray(S, s, o + q).sub(max)).intoArray(s, o + q);
            }
            sum += sum16(s, o + p);
        }
        for (int p = vectorEnd; p < len; p++) {
            float e = (float) Math.exp(s[o + p] - m);
            s[o + p] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        FloatVector iv = FloatVector.broadcast(S, inv);
        int p = 0;
        for (; p + L <= len; p += L) {
            FloatVector.fromArray(S, s, o + p).mul(iv).intoArray(s, o + p);
        }
        for (; p < len; p++) {
            s[o + p] *= inv;
        }
    }

    /**
     * Sixteen floats from {@code a[off]} summed as {@code _mm512_reduce_add_ps} does: lane {@code l} plus lane
     * {@code l + 8}, then plus {@code l + 4}, {@code l + 2}, {@code l + 1}.
     */
    static float sum16(float[] a, int off) {
        if (L == 16) {
            return VectorMath.sum(FloatVector.fromArray(S, a, off));
        }
        if (L == 8) {
            return VectorMath.sum(FloatVector.fromArray(S, a, off).add(FloatVector.fromArray(S, a, off + 8)));
        }
        // 4-lane (or scalar) machines: the same tree, one addition at a time, without allocating
        float s0 = (a[off] + a[off + 8]) + (a[off + 4] + a[off + 12]);
        float s2 = (a[off + 2] + a[off + 10]) + (a[off + 6] + a[off + 14]);
        float s1 = (a[off + 1] + a[off + 9]) + (a[off + 5] + a[off + 13]);
        float s3 = (a[off + 3] + a[off + 11]) + (a[off + 7] + a[off + 15]);
        return (s0 + s2) + (s1 + s3);
    }
}
