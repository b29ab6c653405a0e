package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vectorised float-array primitives shared by the kernels and the model's element-wise steps. */
public final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    /** Dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
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
