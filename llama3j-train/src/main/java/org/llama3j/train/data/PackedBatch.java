package org.llama3j.train.data;

/**
 * {@code batch} rows of {@code seqLen} packed tokens, row-major, ready for
 * {@code LlamaTrainingModel.forwardBackward}: inputs, next-token targets (ignore index where the
 * next token belongs to another document), and per-token document ids numbered from 0 in each row.
 */
public record PackedBatch(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen) {

    /** Number of targets that count towards the loss. */
    public int targetCount() {
        int n = 0;
        for (int t : targets) {
            if (t >= 0) {
                n++;
            }
        }
        return n;
    }
}
