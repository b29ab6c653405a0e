package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences on FP32 layers.
 *
 * <p>Tolerance: the loss L = Σ out·R is summed in double, so its only rounding is the FP32
 * rounding of each output (relative 6e-8). With step h = 1e-2 the central difference has
 * truncation error h²/6·|L'''| ≈ 2e-5 for the O(1) inputs used, and rounding error
 * ≈ 6e-8·√n·|out|/(2h) ≈ 1e-5 for n ≤ 1000 outputs; both are well under the 2e-4 normwise
 * tolerance (observed: 3e-8 to 2e-5), while a wrong term in a backward pass gives errors of order 1.
 */
final class GradCheck {

    static final double STEP = 1e-2;
    static final double TOLERANCE = 2e-4;

    private GradCheck() {
    }

    static float[] randn(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    /** Σ a[i]·b[i] in double. */
    static double weightedSum(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** dLoss/dx[i] by central differences, perturbing x in place and restoring it. */
    static double[] numeric(float[] x, DoubleSupplier loss) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = (float) (saved + STEP);
            double up = loss.getAsDouble();
            x[i] = (float) (saved - STEP);
            double down = loss.getAsDouble();
            x[i] = saved;
            // divide by the step actually taken after rounding x ± h to float
            g[i] = (up - down) / ((double) (float) (saved + STEP) - (double) (float) (saved - STEP));
        }
        return g;
    }

    /** Asserts max|analytic − numeric| ≤ TOLERANCE · max|numeric|. */
    static void assertGradient(String what, float[] analytic, double[] numeric) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < numeric.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(analytic[i] - numeric[i]));
            maxRef = Math.max(maxRef, Math.abs(numeric[i]));
        }
        assertTrue(maxRef > 1e-3, what + ": numeric gradient is ~0 (" + maxRef + "); the check would be vacuous");
        double rel = maxDiff / maxRef;
        assertTrue(rel <= TOLERANCE, what + ": max |analytic - numeric| / max|numeric| = " + rel
                + " (maxDiff " + maxDiff + ", maxRef " + maxRef + ")");
    }
}
