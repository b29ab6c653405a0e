package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class SwiGluTest {

    @Test
    void forwardMatchesHandComputedValue() {
        // silu(1) = 1/(1+e^-1) = 0.7310586; silu(0) = 0
        float[] out = new float[2];
        SwiGlu.forward(WorkerPool.serial(), new float[] {1, 0}, new float[] {2, 5}, out, 2);
        assertArrayEquals(new float[] {1.4621172f, 0f}, out, 1e-6f);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 40;
        float[] gate = GradCheck.randn(r, n, 2);
        float[] up = GradCheck.randn(r, n, 1);
        float[] probe = GradCheck.randn(r, n, 1);
        float[] out = new float[n];
        DoubleSupplier loss = () -> {
            SwiGlu.forward(WorkerPool.serial(), gate, up, out, n);
            return GradCheck.weightedSum(out, probe);
        };
        float[] dGate = new float[n];
        float[] dUp = new float[n];
        SwiGlu.backward(WorkerPool.serial(), probe, gate, up, dGate, dUp, n);
        GradCheck.assertGradient("SwiGLU dGate", dGate, GradCheck.numeric(gate, loss));
        GradCheck.assertGradient("SwiGLU dUp", dUp, GradCheck.numeric(up, loss));
    }

    @Test
    void residualBackwardPassesGradientToBothInputs() {
        float[] dx = {1, 1};
        float[] db = {0, 0};
        Residual.backward(new float[] {2, -3}, dx, db, 2);
        assertArrayEquals(new float[] {3, -2}, dx);
        assertArrayEquals(new float[] {2, -3}, db);
        float[] out = new float[2];
        Residual.forward(new float[] {1, 2}, new float[] {10, 20}, out, 2);
        assertArrayEquals(new float[] {11, 22}, out);
    }
}
