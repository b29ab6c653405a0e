package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector kernels must give the same bits interpreted and compiled (thread-count independence relies on it). */
class VectorMathTest {

    @Test
    void agreementSurvivesJitCompilation() {
        // enough calls for C2 to compile the kernel; the interpreted and compiled code must agree
        SplittableRandom r = new SplittableRandom(14);
        float[] x = GradCheck.randn(r, 301, 1);
        float[] w = GradCheck.randn(r, 301, 1);
        float first = VectorMath.dot(x, 0, w, 0, 301);
        for (int it = 0; it < 30_000; it++) {
            float again = VectorMath.dot(x, 0, w, 0, 301);
            if (Float.floatToIntBits(again) != Float.floatToIntBits(first)) {
                throw new AssertionError("iteration " + it + ": dot " + again + ", first " + first);
            }
        }
    }

    @Test
    void dotAndAxpyMatchFloat64WithinRounding() {
        SplittableRandom r = new SplittableRandom(12);
        for (int n : new int[] {1, 7, 8, 16, 37, 256, 301}) {
            float[] x = GradCheck.randn(r, n + 3, 1);
            float[] w = GradCheck.randn(r, n + 5, 1);
            double exact = 0;
            double scale = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) x[3 + i] * w[5 + i];
                scale += Math.abs((double) x[3 + i] * w[5 + i]);
            }
            assertEquals(exact, VectorMath.dot(x, 3, w, 5, n), 1e-6 * scale + 1e-7, "dot n=" + n);
            float[] y = GradCheck.randn(r, n + 2, 1);
            float[] before = y.clone();
            VectorMath.axpy(0.75f, x, 3, y, 2, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Math.fma(0.75f, x[3 + i], before[2 + i]), y[2 + i], 1e-6f, "axpy n=" + n + " i=" + i);
            }
        }
    }
}
