package org.llama3j.train.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two inner loops every layer is built from: a dot product and {@code y += a·x}, on slices
 * of flat float arrays, with the Vector API. The lane-wise partial sums are reduced in a fixed
 * order, so a given machine (vector width) always produces the same bits.
 */
public final class VectorMath {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    /** Σ a[aOff+i]·b[bOff+i] for i in [0, n). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        int upper = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector va = FloatVector.fromArray(SPECIES, a, aOff + i);
            FloatVector vb = FloatVector.fromArray(SPECIES, b, bOff + i);
            acc = va.fma(vb, acc);
        }
        // Sum the lanes in index order: reduceLanes(ADD) leaves the order unspecified, and the
        // JIT-compiled and interpreted versions differ, which would break bit-reproducibility.
        float sum = laneSum(acc);
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** y[yOff+i] += alpha·x[xOff+i] for i in [0, n). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        int upper = SPECIES.loopBound(n);
        FloatVector va = FloatVector.broadcast(SPECIES, alpha);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector vx = FloatVector.fromArray(SPECIES, x, xOff + i);
            FloatVector vy = FloatVector.fromArray(SPECIES, y, yOff + i);
            vx.fma(va, vy).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** The lanes of {@code acc} added in index order (deterministic, unlike {@code reduceLanes(ADD)}). */
    static float laneSum(FloatVector acc) {
        float sum = 0f;
        for (int lane = 0; lane < SPECIES.length(); lane++) {
            sum += acc.lane(lane);
        }
        return sum;
    }
}
