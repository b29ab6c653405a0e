package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Vectorised float-array primitives shared by the kernels and the model's element-wise steps. */
public final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final int L = S.length();
    // lane i <- lane i ^ d: a butterfly whose result is the same whether C2 has compiled the
    // code or not (reduceLanes sums in a different order interpreted and compiled, and BF16/F16
    // rounding downstream can amplify that last-ulp difference into visible logit noise)
    private static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(S, i -> (i ^ 8) % L);
    private static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(S, i -> (i ^ 4) % L);
    private static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(S, i -> (i ^ 2) % L);
    private static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(S, i -> (i ^ 1) % L);

    private VectorMath() {
    }

    /** Sum of the lanes in a fixed order (see the shuffles above); 8 or 16 lanes, else sequential. */
    public static float sum(FloatVector v) {
        if (L == 16) {
            v = v.add(v.rearrange(X8));
        }
        if (L == 16 || L == 8) {
            v = v.add(v.rearrange(X4));
            v = v.add(v.rearrange(X2));
            v = v.add(v.rearrange(X1));
            return v.lane(0);
        }
        float s = 0f;
        for (float f : v.toArray()) {
            s += f;
        }
        return s;
    }

    /** Dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float sum = sum(acc);
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** {@code y[yOff..] += s * x[xOff..]} over {@code n} elements. */
    public static void axpy(float s, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).fma(sv, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += s * x[xOff + i];
        }
    }
}
