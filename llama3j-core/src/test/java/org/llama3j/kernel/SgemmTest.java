package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared GEMM bit for bit against its contract: C(i, j) is {@code Math.fma} chained over k in
 * order from zero (one lane, one accumulator), then stored or added onto C, for every A and B
 * layout, row-major and transposed C, shapes with edge tiles and panels, run serially panel by panel
 * in reverse order and on 3 threads.
 */
class SgemmTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "6, 32, 16", "13, 45, 37", "70, 100, 9", "7, 33, 130", "12, 64, 5"})
    void everyLayoutEqualsAnFmaChainInKOrder(int m, int n, int k) {
        SplittableRandom r = new SplittableRandom(m * 10_000L + n * 100L + k);
        // A(i, kk) both row-major (aRow k, aCol 1: read in place) and column-major (aRow 1, aCol m: packed)
        float[] aRows = random(r, 3 + m * k);
        float[] aCols = new float[2 + m * k];
        float[] bN = random(r, 5 + n * k);
        float[] bK = new float[4 + k * n];
        for (int i = 0; i < m; i++) {
            for (int kk = 0; kk < k; kk++) {
                aCols[2 + kk * m + i] = aRows[3 + i * k + kk];
            }
        }
        for (int j = 0; j < n; j++) {
            for (int kk = 0; kk < k; kk++) {
                bK[4 + kk * n + j] = bN[5 + j * k + kk];
            }
        }
        float[] c0 = random(r, 1 + m * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] want = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int kk = 0; kk < k; kk++) {
                        s = Math.fma(aRows[3 + i * k + kk], bN[5 + j * k + kk], s);
                    }
                    want[i * n + j] = accumulate ? s + c0[1 + i * n + j] : s;
                }
            }
            Parallel.setThreads(3);
            Parallel.Loop reversed = (count, minBlock, body) -> {
                for (int i = count - 1; i >= 0; i--) {
                    body.run(i, i + 1);
                }
            };
            for (Parallel.Loop loop : new Parallel.Loop[] {reversed, Parallel::forRange}) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean inPlace = (variant & 1) == 0;
                    boolean rowsN = (variant & 2) == 0;
                    float[] a = inPlace ? aRows : aCols;
                    float[] b = rowsN ? bN : bK;
                    String what = (loop == reversed ? "reversed" : "3 threads") + (inPlace ? " A rows" : " A cols")
                            + (rowsN ? " B ROWS_N" : " B ROWS_K") + (accumulate ? " accumulate" : "");
                    float[] c = c0.clone();
                    Sgemm.multiply(loop, m, n, k, a, inPlace ? 3 : 2, inPlace ? k : 1, inPlace ? 1 : m,
                            b, rowsN ? 5 : 4, rowsN ? k : n, rowsN ? Sgemm.Layout.ROWS_N : Sgemm.Layout.ROWS_K,
                            c, 1, n, accumulate);
                    assertBits(want, m, n, c, 1, n, 1, what);
                    // Cᵀ: C(i, j) at cT[1 + j·m + i]
                    float[] cT = new float[1 + m * n];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            cT[1 + j * m + i] = c0[1 + i * n + j];
                        }
                    }
                    Sgemm.multiply(loop, m, n, k, a, inPlace ? 3 : 2, inPlace ? k : 1, inPlace ? 1 : m,
                            b, rowsN ? 5 : 4, rowsN ? k : n, rowsN ? Sgemm.Layout.ROWS_N : Sgemm.Layout.ROWS_K,
                            cT, 1, 1, m, accumulate);
                    assertBits(want, m, n, cT, 1, 1, m, what + " transposed C");
                }
            }
        }
    }

    /** C(i, j) at {@code got[off + i·cRow + j·cCol]} must have the bits of {@code want[i·n + j]}. */
    private static void assertBits(float[] want, int m, int n, float[] got, int off, int cRow, int cCol, String what) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float g = got[off + i * cRow + j * cCol];
                assertEquals(Float.floatToRawIntBits(want[i * n + j]), Float.floatToRawIntBits(g),
                        what + ": C(" + i + ", " + j + ") " + g + " vs " + want[i * n + j]);
            }
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }
}
