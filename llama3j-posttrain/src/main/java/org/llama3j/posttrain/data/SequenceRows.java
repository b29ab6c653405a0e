package org.llama3j.posttrain.data;

import java.util.Arrays;
import java.util.List;
import org.llama3j.train.layers.ChunkedCrossEntropyHead;

/**
 * Lays encoded dialogs out as model rows. Input position j of a dialog predicts token j+1; its
 * target is that token when the token is marked trained, else the ignore index. Padding uses token
 * 0 in its own document with ignored targets.
 */
public final class SequenceRows {

    public static final int IGNORE = ChunkedCrossEntropyHead.IGNORE_INDEX;

    private SequenceRows() {
    }

    /** One dialog per row, each starting at position 0, padded to {@code seqLen}. */
    public static TokenBatch onePerRow(List<EncodedDialog> dialogs, int seqLen) {
        int rows = dialogs.size();
        int[] tokens = new int[rows * seqLen];
        int[] targets = new int[rows * seqLen];
        int[] docs = new int[rows * seqLen];
        Arrays.fill(targets, IGNORE);
        Arrays.fill(docs, 1);
        for (int r = 0; r < rows; r++) {
            if (dialogs.get(r).length() > seqLen) {
                throw new IllegalArgumentException("dialog of " + dialogs.get(r).length() + " tokens exceeds row length "
                        + seqLen);
            }
            place(dialogs.get(r), tokens, targets, docs, r * seqLen, 0, seqLen);
        }
        return new TokenBatch(tokens, targets, docs, rows, seqLen);
    }

    /** Greedy packing into {@code rows} rows (in order, a new row when the next does not fit); never splits one. */
    public static TokenBatch packed(List<EncodedDialog> dialogs, int rows, int seqLen) {
        int[] tokens = new int[rows * seqLen];
        int[] targets = new int[rows * seqLen];
        int[] docs = new int[rows * seqLen];
        Arrays.fill(targets, IGNORE);
        int row = 0;
        int used = 0;
        int doc = 0;
        for (EncodedDialog d : dialogs) {
            if (d.length() > seqLen) {
                throw new IllegalArgumentException("dialog of " + d.length() + " tokens exceeds row length " + seqLen);
            }
            if (used + d.length() > seqLen) {
                padRow(docs, row, used, seqLen, doc++);
                row++;
                used = 0;
            }
            if (row >= rows) {
                throw new IllegalArgumentException("dialogs do not fit in " + rows + " rows");
            }
            place(d, tokens, targets, docs, row * seqLen + used, doc++, d.length());
            used += d.length();
        }
        for (; row < rows; row++, used = 0) {
            padRow(docs, row, used, seqLen, doc++);
        }
        return new TokenBatch(tokens, targets, docs, rows, seqLen);
    }

    /** Number of rows {@link #packed} needs for these dialogs. */
    public static int rowsNeeded(List<EncodedDialog> dialogs, int seqLen) {
        int rows = dialogs.isEmpty() ? 0 : 1;
        int used = 0;
        for (EncodedDialog d : dialogs) {
            if (used + d.length() > seqLen) {
                rows++;
                used = 0;
            }
            used += d.length();
        }
        return rows;
    }

    private static void padRow(int[] docs, int row, int from, int seqLen, int doc) {
        for (int j = from; j < seqLen; j++) {
            docs[row * seqLen + j] = doc;
        }
    }

    private static void place(EncodedDialog d, int[] tokens, int[] targets, int[] docs, int at, int doc, int limit) {
        int n = Math.min(d.length(), limit);
        for (int j = 0; j < n; j++) {
            tokens[at + j] = d.tokens()[j];
            docs[at + j] = doc;
            if (j + 1 < n && d.trained()[j + 1]) {
                targets[at + j] = d.tokens()[j + 1];
            }
        }
    }
}
