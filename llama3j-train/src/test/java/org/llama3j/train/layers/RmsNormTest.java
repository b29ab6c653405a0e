package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RmsNormTest {

    @Test
    void forwardMatchesHandComputedValue() {
        // x = (3, 4): mean(x²) = 12.5, rstd = 1/sqrt(12.5 + 0.5) = 1/sqrt(13)
        float[] out = new float[2];
        float[] rstd = new float[1];
        RmsNorm.forward(WorkerPool.serial(), new float[] {3, 4}, new float[] {1, 2}, 0, 0.5f, out, rstd, 1, 2);
        double s = 1 / Math.sqrt(13);
        assertArrayEquals(new float[] {(float) (3 * s), (float) (8 * s)}, out, 1e-6f);
        assertArrayEquals(new float[] {(float) s}, rstd, 1e-7f);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(4);
        int rows = 4, dim = 9;
        float eps = 1e-5f;
        float[] x = GradCheck.randn(r, rows * dim, 1);
        float[] w = GradCheck.randn(r, dim, 1);
        float[] probe = GradCheck.randn(r, rows * dim, 1);
        float[] out = new float[rows * dim];
        float[] rstd = new float[rows];
        DoubleSupplier loss = () -> {
            RmsNorm.forward(WorkerPool.serial(), x, w, 0, eps, out, rstd, rows, dim);
            return GradCheck.weightedSum(out, probe);
        };
        loss.getAsDouble();
        float[] dx = new float[rows * dim];
        float[] dw = new float[dim];
        RmsNorm.backward(WorkerPool.serial(), probe, x, w, 0, rstd, dx, dw, 0, rows, dim);
        GradCheck.assertGradient("RMSNorm dX", dx, GradCheck.numeric(x, loss));
        GradCheck.assertGradient("RMSNorm dW", dw, GradCheck.numeric(w, loss));
    }
}
