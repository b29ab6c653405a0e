package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The 4-way kernels must reproduce the single ones bit for bit (thread-count independence relies on it). */
class VectorMathTest {

    @Test
    void agreementSurvivesJitCompilation() {
        // enough calls for C2 to compile both kernels; the interpreted and compiled code must agree
        SplittableRandom r = new SplittableRandom(14);
        float[] x = GradCheck.randn(r, 301, 1);
        float[] w = GradCheck.randn(r, 4 * 301, 1);
        float[] y = new float[4];
        float first = VectorMath.dot(x, 0, w, 301, 301);
        for (int it = 0; it < 30_000; it++) {
            VectorMath.dot4(x, 0, w, 0, 301, 602, 903, 301, y, 0);
            float single = VectorMath.dot(x, 0, w, 301, 301);
            if (Float.floatToIntBits(y[1]) != Float.floatToIntBits(single)
                    || Float.floatToIntBits(single) != Float.floatToIntBits(first)) {
                throw new AssertionError("iteration " + it + ": dot4 " + y[1] + ", dot " + single + ", first " + first);
            }
        }
    }

    @Test
    void dot4EqualsFourDots() {
        SplittableRandom r = new SplittableRandom(12);
        for (int n : new int[] {1, 7, 8, 16, 37, 256, 301}) {
            float[] x = GradCheck.randn(r, n + 3, 1);
            float[] w = GradCheck.randn(r, 4 * n + 5, 1);
            float[] y = new float[6];
            VectorMath.dot4(x, 3, w, 5, 5 + n, 5 + 2 * n, 5 + 3 * n, n, y, 2);
            for (int k = 0; k < 4; k++) {
                assertEquals(Float.floatToIntBits(VectorMath.dot(x, 3, w, 5 + k * n, n)),
                        Float.floatToIntBits(y[2 + k]), "n=" + n + " k=" + k);
            }
        }
    }

    @Test
    void axpy4EqualsFourAxpys() {
        SplittableRandom r = new SplittableRandom(13);
        for (int n : new int[] {1, 7, 8, 16, 37, 256, 301}) {
            float[] x = GradCheck.randn(r, 4 * n, 1);
            float[] a = GradCheck.randn(r, 4, 1);
            float[] y1 = GradCheck.randn(r, n + 2, 1);
            float[] y2 = y1.clone();
            VectorMath.axpy4(a[0], a[1], a[2], a[3], x, 0, n, 2 * n, 3 * n, y1, 2, n);
            for (int k = 0; k < 4; k++) {
                VectorMath.axpy(a[k], x, k * n, y2, 2, n);
            }
            for (int i = 0; i < y1.length; i++) {
                assertEquals(Float.floatToIntBits(y2[i]), Float.floatToIntBits(y1[i]), "n=" + n + " i=" + i);
            }
        }
    }
}
