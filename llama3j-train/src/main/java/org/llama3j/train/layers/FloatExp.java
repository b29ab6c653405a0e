package org.llama3j.train.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code e^x} in float for the softmax and sigmoid kernels, as a vector and as a scalar that give
 * the same bits lane by lane: Cody–Waite reduction {@code x = n·ln2 + r}, |r| ≤ ln2/2, and the
 * degree-7 polynomial of Cephes {@code expf} (S. Moshier, Cephes Math Library), then
 * {@code 2ⁿ} built in the exponent bits. Relative error ≤ 2 ulp on the normal range (checked
 * against {@link Math#exp} by {@code FloatExpTest}).
 *
 * <p>Why not {@link Math#exp} or {@code VectorOperators.EXP}: the first is double and scalar
 * (8% of a training step in the output head, 2026-11-29 profile); the second is an SVML intrinsic
 * when C2 compiles it and {@code Math.exp} per lane when it does not, so its bits would depend on
 * JIT state. Every operation here (fma, add, mul, min/max, integer shifts) is exactly rounded in
 * both the interpreter and compiled code, so results depend only on x.
 *
 * <p>Range: x below ln(2⁻¹²⁶) gives 0 (so {@code exp(−∞) = 0}, which the masked softmax relies
 * on), above 127.5·ln2 gives +∞; NaN stays NaN.
 */
public final class FloatExp {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2²³: adding it rounds to an integer that then sits in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** ln2 split so that n·LN2_HI is exact for |n| ≤ 2⁸ (Cephes C1, C2). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Cephes expf coefficients: e^r ≈ 1 + r + r²·P(r). */
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    /** ln(2⁻¹²⁶): below it the result would be subnormal; it is flushed to 0. */
    static final float MIN_ARG = -87.33654f;
    /** 127.5·ln2 (rounded down): n stays ≤ 127, so 2ⁿ is a normal float. */
    static final float MAX_ARG = 88.37626f;

    private FloatExp() {
    }

    /** e^x lane-wise. */
    public static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector t = c.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(constant(-LN2_HI), c);
        r = n.fma(constant(-LN2_LO), r);
        // Horner's rule: v.fma(r, P) is v·r + P
        FloatVector p = r.fma(P0, P1).fma(r, constant(P2)).fma(r, constant(P3)).fma(r, constant(P4))
                .fma(r, constant(P5));
        FloatVector y = p.fma(r.mul(r), r.add(1f));
        FloatVector pow2 = t.reinterpretAsInts().add(127 - ROUNDER_BITS).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return y.mul(pow2)
                .blend(0f, x.compare(VectorOperators.LT, MIN_ARG))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_ARG));
    }

    private static FloatVector constant(float value) {
        return FloatVector.broadcast(F, value);
    }

    /** e^x, bit-identical to one lane of {@link #exp(FloatVector)}. */
    public static float exp(float x) {
        if (x < MIN_ARG) {
            return 0f;
        }
        if (x > MAX_ARG) {
            return Float.POSITIVE_INFINITY;
        }
        float c = Math.min(Math.max(x, MIN_ARG), MAX_ARG);   // NaN passes through
        float t = Math.fma(c, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P0, P1), r, P2), r, P3), r, P4), r, P5);
        float y = Math.fma(p, r * r, r + 1f);
        float pow2 = Float.intBitsToFloat((Float.floatToRawIntBits(t) + 127 - ROUNDER_BITS) << 23);
        return y * pow2;
    }

    /** {@code v[i] = e^v[i]} for i in [from, to). */
    public static void expInPlace(float[] v, int from, int to) {
        int i = from;
        for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
            exp(FloatVector.fromArray(F, v, i)).intoArray(v, i);
        }
        for (; i < to; i++) {
            v[i] = exp(v[i]);
        }
    }
}
