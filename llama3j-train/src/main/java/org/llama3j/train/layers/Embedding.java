package org.llama3j.train.layers;

/**
 * Token embedding: a lookup of rows of a {@code [vocab][dim]} table. Backward scatter-adds each
 * output row's gradient into the row of its token.
 */
public final class Embedding {

    private Embedding() {
    }

    /** out[n] = table[tokens[n]]. Tokens must already be validated to lie in [0, vocab). */
    public static void forward(float[] table, int tableOff, int[] tokens, int dim, float[] out) {
        for (int n = 0; n < tokens.length; n++) {
            System.arraycopy(table, tableOff + tokens[n] * dim, out, n * dim, dim);
        }
    }

    /**
     * dTable[tokens[n]] += dOut[n]. Parallel over column blocks, so a token repeated in the batch
     * is summed by one thread in row order.
     */
    public static void backward(WorkerPool pool, float[] dOut, int[] tokens, int dim,
                                float[] dTable, int dTableOff) {
        pool.forRange(dim, 64, (c0, c1) -> {
            for (int n = 0; n < tokens.length; n++) {
                int src = n * dim;
                int dst = dTableOff + tokens[n] * dim;
                for (int c = c0; c < c1; c++) {
                    dTable[dst + c] += dOut[src + c];
                }
            }
        });
    }
}
