package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RopeTest {

    @Test
    void llama31ScalingKeepsHighDividesLowAndInterpolatesMiddle() {
        // Expected values from an independent Python transcription of Meta's apply_scaling
        // (theta 500000, head_dim 128, factor 8, low 1, high 4, original context 8192).
        double[] f = new RopeTable(128, 1, 500000, Optional.of(RopeScaling.LLAMA_3_1)).inverseFrequencies();
        assertEquals(1.0, f[0], 1e-15);                                // wavelength 6.3 < 2048: kept
        assertEquals(0.016560440080994446, f[20], 1e-15);              // wavelength 379: kept
        assertEquals(0.002166570763503359, f[29], 1e-15);              // wavelength 2402: smooth band
        assertEquals(0.0013718935677611381, f[30], 1e-15);             // wavelength 2948: smooth band
        assertEquals(0.00031269375038406517, f[33], 1e-16);            // wavelength 5454: smooth band
        assertEquals(3.428102195952591e-05, f[40], 1e-18);             // wavelength 22911 > 8192: /8
        assertEquals(3.068925988914511e-07, f[63], 1e-20);             // wavelength 2.6e6: /8
        double[] plain = new RopeTable(128, 1, 500000, Optional.empty()).inverseFrequencies();
        assertEquals(0.0021311195369119653, plain[30], 1e-15);
    }

    @Test
    void rotatesInterleavedPairsByPositionTimesFrequency() {
        // head_dim 4, theta 100: freqs 1 and 0.1. Position 2 rotates pair 0 by 2 rad, pair 1 by 0.2 rad.
        RopeTable table = new RopeTable(4, 3, 100, Optional.empty());
        float[] x = {1, 0, 0, 1};
        Rope.forward(WorkerPool.serial(), table, x, new int[] {2}, 1);
        assertArrayEquals(new float[] {(float) Math.cos(2), (float) Math.sin(2),
                (float) -Math.sin(0.2), (float) Math.cos(0.2)}, x, 1e-6f);
        Rope.backward(WorkerPool.serial(), table, x, new int[] {2}, 1);
        assertArrayEquals(new float[] {1, 0, 0, 1}, x, 1e-6f);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(6);
        int rows = 5, heads = 3, hd = 8;
        RopeTable table = new RopeTable(hd, 16, 10000, Optional.of(new RopeScaling(4, 1, 4, 8)));
        int[] positions = {0, 3, 7, 15, 9};
        float[] x = GradCheck.randn(r, rows * heads * hd, 1);
        float[] probe = GradCheck.randn(r, x.length, 1);
        float[] work = new float[x.length];
        DoubleSupplier loss = () -> {
            System.arraycopy(x, 0, work, 0, x.length);
            Rope.forward(WorkerPool.serial(), table, work, positions, heads);
            return GradCheck.weightedSum(work, probe);
        };
        float[] dx = probe.clone();
        Rope.backward(WorkerPool.serial(), table, dx, positions, heads);
        GradCheck.assertGradient("RoPE dX", dx, GradCheck.numeric(x, loss));
    }

    @Test
    void rejectsPositionsBeyondTheTable() {
        RopeTable table = new RopeTable(4, 2, 100, Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rope.forward(WorkerPool.serial(), table, new float[4], new int[] {2}, 1));
        assertEquals("RoPE position 2 at row 0 outside [0, 2)", e.getMessage());
    }
}
