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

    /**
     * Four dot products of one x row with four W rows, y[yOff+k] = x·w_k. Each output goes
     * through exactly the operations of {@link #dot}, so the bits are the same; sharing the x
     * loads is what makes it faster.
     */
    public static void dot4(float[] x, int xOff, float[] w, int w0, int w1, int w2, int w3, int n,
                            float[] y, int yOff) {
        int i = 0;
        int upper = SPECIES.loopBound(n);
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        FloatVector acc2 = FloatVector.zero(SPECIES);
        FloatVector acc3 = FloatVector.zero(SPECIES);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector vx = FloatVector.fromArray(SPECIES, x, xOff + i);
            acc0 = vx.fma(FloatVector.fromArray(SPECIES, w, w0 + i), acc0);
            acc1 = vx.fma(FloatVector.fromArray(SPECIES, w, w1 + i), acc1);
            acc2 = vx.fma(FloatVector.fromArray(SPECIES, w, w2 + i), acc2);
            acc3 = vx.fma(FloatVector.fromArray(SPECIES, w, w3 + i), acc3);
        }
        float s0 = laneSum(acc0);
        float s1 = laneSum(acc1);
        float s2 = laneSum(acc2);
        float s3 = laneSum(acc3);
        for (; i < n; i++) {
            s0 += x[xOff + i] * w[w0 + i];
            s1 += x[xOff + i] * w[w1 + i];
            s2 += x[xOff + i] * w[w2 + i];
            s3 += x[xOff + i] * w[w3 + i];
        }
        y[yOff] = s0;
        y[yOff + 1] = s1;
        y[yOff + 2] = s2;
        y[yOff + 3] = s3;
    }

    /**
     * y += a0·x0 + a1·x1 + a2·x2 + a3·x3 (x_k starting at offsets x0..x3 of {@code x}), added in
     * that order with the operations of four successive {@link #axpy} calls, so the bits are the
     * same; y is loaded and stored once instead of four times.
     */
    public static void axpy4(float a0, float a1, float a2, float a3, float[] x, int x0, int x1, int x2, int x3,
                             float[] y, int yOff, int n) {
        int i = 0;
        int upper = SPECIES.loopBound(n);
        FloatVector va0 = FloatVector.broadcast(SPECIES, a0);
        FloatVector va1 = FloatVector.broadcast(SPECIES, a1);
        FloatVector va2 = FloatVector.broadcast(SPECIES, a2);
        FloatVector va3 = FloatVector.broadcast(SPECIES, a3);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector vy = FloatVector.fromArray(SPECIES, y, yOff + i);
            vy = FloatVector.fromArray(SPECIES, x, x0 + i).fma(va0, vy);
            vy = FloatVector.fromArray(SPECIES, x, x1 + i).fma(va1, vy);
            vy = FloatVector.fromArray(SPECIES, x, x2 + i).fma(va2, vy);
            vy = FloatVector.fromArray(SPECIES, x, x3 + i).fma(va3, vy);
            vy.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float v = y[yOff + i];
            v += a0 * x[x0 + i];
            v += a1 * x[x1 + i];
            v += a2 * x[x2 + i];
            v += a3 * x[x3 + i];
            y[yOff + i] = v;
        }
    }

    private static float laneSum(FloatVector acc) {
        float sum = 0f;
        for (int lane = 0; lane < SPECIES.length(); lane++) {
            sum += acc.lane(lane);
        }
        return sum;
    }
}
