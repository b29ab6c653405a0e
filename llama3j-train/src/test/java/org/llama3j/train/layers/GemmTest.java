package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packed GEMM behind {@link Linear} against a float64 loop, on shapes with edge tiles (rows
 * not a multiple of 6, columns not a multiple of the panel) and offsets; identical bits for 1 and 3
 * threads; accumulation adds onto C.
 */
class GemmTest {

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "6, 32, 16", "13, 45, 37", "70, 100, 9", "7, 33, 130"})
    void allThreeLinearProductsMatchAFloat64Loop(int rows, int in, int out) {
        SplittableRandom r = new SplittableRandom(rows * 1000L + in * 10L + out);
        float[] x = random(r, 3 + rows * in);
        float[] w = random(r, 5 + out * in);
        float[] dy = random(r, 2 + rows * out);
        float[] y0 = random(r, 4 + rows * out);
        float[] dx0 = random(r, 1 + rows * in);
        float[] dw0 = random(r, 6 + out * in);
        double[] y = new double[rows * out];
        double[] dx = new double[rows * in];
        double[] dw = new double[out * in];
        for (int row = 0; row < rows; row++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    y[row * out + o] += (double) x[3 + row * in + i] * w[5 + o * in + i];
                    dx[row * in + i] += (double) dy[2 + row * out + o] * w[5 + o * in + i];
                    dw[o * in + i] += (double) dy[2 + row * out + o] * x[3 + row * in + i];
                }
            }
        }
        float[][] results = new float[2][];
        for (int threads : new int[] {1, 3}) {
            float[] gy = y0.clone();
            float[] gdx = dx0.clone();
            float[] gdw = dw0.clone();
            try (WorkerPool pool = new WorkerPool(threads)) {
                Linear.forward(pool, x, 3, w, 5, gy, 4, rows, in, out);
                Linear.backwardInput(pool, dy, 2, w, 5, gdx, 1, rows, in, out);
                Linear.backwardWeight(pool, dy, 2, x, 3, gdw, 6, rows, in, out);
            }
            assertClose(y, 0, gy, 4, null, 0);
            assertClose(dx, 0, gdx, 1, dx0, 1);
            assertClose(dw, 0, gdw, 6, dw0, 6);
            float[] all = new float[gy.length + gdx.length + gdw.length];
            System.arraycopy(gy, 0, all, 0, gy.length);
            System.arraycopy(gdx, 0, all, gy.length, gdx.length);
            System.arraycopy(gdw, 0, all, gy.length + gdx.length, gdw.length);
            results[threads == 1 ? 0 : 1] = all;
            assertTrue(gy[3] == y0[3] && gdx[0] == dx0[0] && gdw[5] == dw0[5], "wrote before its offset");
        }
        assertArrayEquals(results[0], results[1], "thread count changed the bits");
    }

    /** got[gotOff + i] must equal want[i] (+ base[baseOff + i] when accumulating) to float rounding. */
    private static void assertClose(double[] want, int wantOff, float[] got, int gotOff, float[] base, int baseOff) {
        for (int i = 0; i < want.length; i++) {
            double expected = want[wantOff + i] + (base == null ? 0 : base[baseOff + i]);
            double err = Math.abs(got[gotOff + i] - expected);
            assertTrue(err <= 1e-5 * (1 + Math.abs(expected)) * 8, "element " + i + ": " + got[gotOff + i]
                    + " vs " + expected);
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }
}
