package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class DocumentMaskedAttentionTest {

    // B=2, T=6, 4 query heads sharing 2 kv heads, head_dim 4; row 0 holds docs 7|8|9, row 1 one doc
    private static final DocumentMaskedAttention.Shape SHAPE = new DocumentMaskedAttention.Shape(2, 6, 4, 2, 4);
    private static final int[] DOCS = {7, 7, 8, 8, 8, 9, 0, 0, 0, 0, 0, 0};
    private static final int ROWS = 12;

    @Test
    void singleKeyAttentionReturnsItsValue() {
        // the first token of each document sees only itself: output = its value vector
        SplittableRandom r = new SplittableRandom(7);
        float[] q = GradCheck.randn(r, ROWS * 16, 1);
        float[] k = GradCheck.randn(r, ROWS * 8, 1);
        float[] v = GradCheck.randn(r, ROWS * 8, 1);
        float[] out = new float[ROWS * 16];
        DocumentMaskedAttention.forward(WorkerPool.serial(), SHAPE, q, k, v, DOCS, out, new float[ROWS * 4]);
        for (int t : new int[] {0, 2, 5, 6}) {
            for (int h = 0; h < 4; h++) {
                int kvh = h / 2;
                float[] expected = java.util.Arrays.copyOfRange(v, t * 8 + kvh * 4, t * 8 + kvh * 4 + 4);
                float[] got = java.util.Arrays.copyOfRange(out, t * 16 + h * 4, t * 16 + h * 4 + 4);
                assertArrayEquals(expected, got, 1e-6f, "row " + t + " head " + h);
            }
        }
    }

    @Test
    void outputIgnoresFutureTokensAndOtherDocuments() {
        SplittableRandom r = new SplittableRandom(8);
        float[] q = GradCheck.randn(r, ROWS * 16, 1);
        float[] k = GradCheck.randn(r, ROWS * 8, 1);
        float[] v = GradCheck.randn(r, ROWS * 8, 1);
        float[] before = run(q, k, v);
        // change key and value of position 2 (doc 8): rows 0,1 (doc 7) and 5 (doc 9) must not move
        k[2 * 8] += 3f;
        v[2 * 8 + 1] -= 2f;
        float[] after = run(q, k, v);
        for (int t : new int[] {0, 1, 5, 6, 7, 8, 9, 10, 11}) {
            assertArrayEquals(java.util.Arrays.copyOfRange(before, t * 16, t * 16 + 16),
                    java.util.Arrays.copyOfRange(after, t * 16, t * 16 + 16), "row " + t);
        }
        assertNotEquals(before[3 * 16], after[3 * 16], "row 3 (doc 8, after position 2) must change");
    }

    private static float[] run(float[] q, float[] k, float[] v) {
        float[] out = new float[ROWS * 16];
        DocumentMaskedAttention.forward(WorkerPool.serial(), SHAPE, q, k, v, DOCS, out, new float[ROWS * 4]);
        return out;
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(9);
        float[] q = GradCheck.randn(r, ROWS * 16, 1);
        float[] k = GradCheck.randn(r, ROWS * 8, 1);
        float[] v = GradCheck.randn(r, ROWS * 8, 1);
        float[] probe = GradCheck.randn(r, ROWS * 16, 1);
        float[] out = new float[ROWS * 16];
        float[] lse = new float[ROWS * 4];
        DoubleSupplier loss = () -> {
            DocumentMaskedAttention.forward(WorkerPool.serial(), SHAPE, q, k, v, DOCS, out, lse);
            return GradCheck.weightedSum(out, probe);
        };
        loss.getAsDouble();
        float[] dq = new float[q.length];
        float[] dk = new float[k.length];
        float[] dv = new float[v.length];
        DocumentMaskedAttention.backward(WorkerPool.serial(), SHAPE, q, k, v, DOCS, out, lse, probe, dq, dk, dv);
        GradCheck.assertGradient("attention dQ", dq, GradCheck.numeric(q, loss));
        GradCheck.assertGradient("attention dK", dk, GradCheck.numeric(k, loss));
        GradCheck.assertGradient("attention dV", dv, GradCheck.numeric(v, loss));
    }
}
