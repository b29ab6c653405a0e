package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

    @Test
    void forwardCopiesRows() {
        float[] table = {0, 1, 10, 11, 20, 21};
        float[] out = new float[6];
        Embedding.forward(table, 0, new int[] {2, 0, 2}, 2, out);
        assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21}, out);
    }

    @Test
    void backwardScatterAddsRepeatedTokensAndMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int vocab = 6, dim = 5;
        int[] tokens = {1, 4, 1, 0, 1};
        float[] table = GradCheck.randn(r, vocab * dim, 1);
        float[] probe = GradCheck.randn(r, tokens.length * dim, 1);
        float[] out = new float[tokens.length * dim];
        float[] dTable = new float[vocab * dim];
        Embedding.backward(WorkerPool.serial(), probe, tokens, dim, dTable, 0);
        GradCheck.assertGradient("Embedding dTable", dTable, GradCheck.numeric(table, () -> {
            Embedding.forward(table, 0, tokens, dim, out);
            return GradCheck.weightedSum(out, probe);
        }));
        // token 1 appears three times: its row is the sum of three probe rows; unused rows stay 0
        for (int c = 0; c < dim; c++) {
            float expected = probe[c] + probe[2 * dim + c] + probe[4 * dim + c];
            assertArrayEquals(new float[] {expected}, new float[] {dTable[dim + c]}, 1e-6f);
            assertArrayEquals(new float[] {0f}, new float[] {dTable[2 * dim + c]});
        }
    }
}
