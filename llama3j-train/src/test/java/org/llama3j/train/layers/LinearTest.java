package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearTest {

    private static final int ROWS = 5;
    private static final int IN = 7;
    private static final int OUT = 19;

    @Test
    void forwardMatchesHandComputedProduct() {
        float[] x = {1, 2, 3, 4, 5, 6};               // 2 rows × 3
        float[] w = {1, 0, -1, 0.5f, 0.5f, 0.5f};     // 2 out × 3 in
        float[] y = new float[4];
        Linear.forward(WorkerPool.serial(), x, 0, w, 0, y, 0, 2, 3, 2);
        assertArrayEquals(new float[] {-2f, 3f, -2f, 7.5f}, y);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = GradCheck.randn(r, ROWS * IN, 1);
        float[] w = GradCheck.randn(r, OUT * IN, 1);
        float[] probe = GradCheck.randn(r, ROWS * OUT, 1);
        float[] y = new float[ROWS * OUT];
        java.util.function.DoubleSupplier loss = () -> {
            Linear.forward(WorkerPool.serial(), x, 0, w, 0, y, 0, ROWS, IN, OUT);
            return GradCheck.weightedSum(y, probe);
        };
        float[] dx = new float[ROWS * IN];
        float[] dw = new float[OUT * IN];
        Linear.backwardInput(WorkerPool.serial(), probe, 0, w, 0, dx, 0, ROWS, IN, OUT);
        Linear.backwardWeight(WorkerPool.serial(), probe, 0, x, 0, dw, 0, ROWS, IN, OUT);
        GradCheck.assertGradient("Linear dX", dx, GradCheck.numeric(x, loss));
        GradCheck.assertGradient("Linear dW", dw, GradCheck.numeric(w, loss));
    }

    @Test
    void threadCountDoesNotChangeBits() {
        SplittableRandom r = new SplittableRandom(2);
        int rows = 37, in = 45, out = 83;
        float[] x = GradCheck.randn(r, rows * in, 1);
        float[] w = GradCheck.randn(r, out * in, 1);
        float[] dy = GradCheck.randn(r, rows * out, 1);
        float[][] serial = run(WorkerPool.serial(), x, w, dy, rows, in, out);
        try (WorkerPool pool = new WorkerPool(3)) {
            float[][] parallel = run(pool, x, w, dy, rows, in, out);
            for (int i = 0; i < serial.length; i++) {
                assertArrayEquals(serial[i], parallel[i]);
            }
        }
    }

    private static float[][] run(WorkerPool pool, float[] x, float[] w, float[] dy, int rows, int in, int out) {
        float[] y = new float[rows * out];
        float[] dx = new float[rows * in];
        float[] dw = new float[out * in];
        Linear.forward(pool, x, 0, w, 0, y, 0, rows, in, out);
        Linear.backwardInput(pool, dy, 0, w, 0, dx, 0, rows, in, out);
        Linear.backwardWeight(pool, dy, 0, x, 0, dw, 0, rows, in, out);
        return new float[][] {y, dx, dw};
    }
}
