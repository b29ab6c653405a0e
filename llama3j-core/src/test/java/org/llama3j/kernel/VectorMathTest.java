package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void sums4EqualsFourSumsBitForBit() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            // magnitudes spread over 2^±20 so that any change of the addition order changes the rounding
            float[] acc = new float[4 * L];
            for (int i = 0; i < acc.length; i++) {
                acc[i] = (float) ((rnd.nextDouble() - 0.5) * Math.scalb(1.0, rnd.nextInt(-20, 21)));
            }
            float[] out = new float[7];
            VectorMath.sums4(acc, 0, out, 5, 0, 3, 6);
            int[] at = {5, 0, 3, 6};
            for (int k = 0; k < 4; k++) {
                float expected = VectorMath.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, acc, k * L));
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[at[k]]), "vector " + k);
            }
        }
    }

    @Test
    void sumOfKnownLanes() {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) {
            v[i] = i + 1;
        }
        assertEquals(L * (L + 1) / 2f, VectorMath.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, v, 0)));
    }

    @Test
    void dotInLaneOrderAddsTheLanesInIndexOrderThenTheTail() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int n : new int[] {1, L - 1, L, 2 * L + 3, 301}) {
            float[] a = random(rnd, n + 3);
            float[] b = random(rnd, n + 5);
            float[] lanes = new float[L];
            int whole = n / L * L;
            for (int i = 0; i < whole; i++) {
                lanes[i % L] = Math.fma(a[3 + i], b[5 + i], lanes[i % L]);
            }
            float want = 0f;
            for (float lane : lanes) {
                want += lane;
            }
            for (int i = whole; i < n; i++) {
                want += a[3 + i] * b[5 + i];
            }
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(VectorMath.dotInLaneOrder(a, 3, b, 5, n)),
                    "n=" + n);
        }
    }

    @Test
    void dotsGiveTheSameBitsInterpretedAndCompiled() {
        // enough calls for C2 to compile the kernels; the interpreted and compiled code must agree
        // (the training layers' thread-count independence relies on it)
        SplittableRandom rnd = new SplittableRandom(14);
        float[] x = random(rnd, 301);
        float[] w = random(rnd, 301);
        float first = VectorMath.dotInLaneOrder(x, 0, w, 0, 301);
        float firstButterfly = VectorMath.dot(x, 0, w, 0, 301);
        for (int it = 0; it < 30_000; it++) {
            float again = VectorMath.dotInLaneOrder(x, 0, w, 0, 301);
            float againButterfly = VectorMath.dot(x, 0, w, 0, 301);
            if (Float.floatToIntBits(again) != Float.floatToIntBits(first)
                    || Float.floatToIntBits(againButterfly) != Float.floatToIntBits(firstButterfly)) {
                throw new AssertionError("iteration " + it + ": dots " + again + ", " + againButterfly
                        + ", first " + first + ", " + firstButterfly);
            }
        }
    }

    @Test
    void axpyIsOneFmaPerElementOnVectorsAndMultiplyAddOnTheTail() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int n : new int[] {1, L, 2 * L + 3}) {
            float[] x = random(rnd, n + 3);
            float[] y = random(rnd, n + 2);
            float[] before = y.clone();
            VectorMath.axpy(0.75f, x, 3, y, 2, n);
            for (int i = 0; i < n; i++) {
                float want = i < n / L * L ? Math.fma(x[3 + i], 0.75f, before[2 + i]) : before[2 + i] + 0.75f * x[3 + i];
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(y[2 + i]), "n=" + n + " i=" + i);
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * Math.scalb(1.0, rnd.nextInt(-4, 5)));
        }
        return a;
    }
}
