package org.llama3j.posttrain.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Preference pairs as model rows: pair i is rows 2i (chosen) and 2i+1 (rejected), one dialog per
 * row, padded to the longest. Targets are the reply tokens; with {@code maskFormatTokens} the
 * template's special tokens (e.g. {@code <|eot_id|>}) are not targets either — Llama 3's DPO masks
 * "formatting tokens, including header and termination tokens" in both replies (Llama 3 paper §4.1.4).
 */
public final class PairBatches {

    private PairBatches() {
    }

    public static TokenBatch of(List<EncodedPair> pairs, IntPredicate isFormatToken, boolean maskFormatTokens) {
        List<EncodedDialog> rows = new ArrayList<>();
        int longest = 1;
        for (EncodedPair p : pairs) {
            rows.add(mask(p.chosen(), isFormatToken, maskFormatTokens));
            rows.add(mask(p.rejected(), isFormatToken, maskFormatTokens));
            longest = Math.max(longest, Math.max(p.chosen().length(), p.rejected().length()));
        }
        return SequenceRows.onePerRow(rows, longest);
    }

    private static EncodedDialog mask(EncodedDialog d, IntPredicate isFormatToken, boolean maskFormatTokens) {
        if (!maskFormatTokens) {
            return d;
        }
        boolean[] trained = d.trained().clone();
        for (int i = 0; i < trained.length; i++) {
            trained[i] &= !isFormatToken.test(d.tokens()[i]);
        }
        return new EncodedDialog(d.tokens(), trained, d.line());
    }

    /** Sum of {@code values} over each row's target positions. */
    public static double[] rowSums(TokenBatch b, float[] values) {
        double[] out = new double[b.rows()];
        for (int r = 0; r < b.rows(); r++) {
            for (int t = 0; t < b.seqLen(); t++) {
                int n = r * b.seqLen() + t;
                if (b.targets()[n] >= 0) {
                    out[r] += values[n];
                }
            }
        }
        return out;
    }

    /** Number of target positions per row. */
    public static int[] rowCounts(TokenBatch b) {
        int[] out = new int[b.rows()];
        for (int n = 0; n < b.targets().length; n++) {
            if (b.targets()[n] >= 0) {
                out[n / b.seqLen()]++;
            }
        }
        return out;
    }

    /** Index of each row's last non-padding token (the scalar heads read the hidden state there). */
    public static int[] lastTokens(TokenBatch b) {
        int[] out = new int[b.rows()];
        for (int r = 0; r < b.rows(); r++) {
            int doc = b.docIds()[r * b.seqLen()];
            int t = 0;
            while (t + 1 < b.seqLen() && b.docIds()[r * b.seqLen() + t + 1] == doc) {
                t++;
            }
            out[r] = r * b.seqLen() + t;
        }
        return out;
    }
}
