package org.llama3j.train.layers;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each document of a packed batch lies, so attention loops can visit only the keys a query
 * may see instead of testing every earlier position: for position t of a row, {@link #first} is
 * the first position of t's document in that row and {@link #last} the last. When every document
 * occupies one run of positions (what {@code PackedBatchLoader} produces) the keys of query t
 * are exactly {@code [first(t), t]} and the queries that see key j exactly {@code [j, last(j)]};
 * a row where a document id comes back after another one is marked {@link #contiguous(int) not
 * contiguous}, and the kernels then also test the ids inside those ranges.
 */
final class DocumentSpans {

    private final int[] first;
    private final int[] last;
    private final boolean[] contiguous;

    private DocumentSpans(int[] first, int[] last, boolean[] contiguous) {
        this.first = first;
        this.last = last;
        this.contiguous = contiguous;
    }

    /** Spans of {@code batch} rows of {@code seqLen} positions; positions returned are row-relative. */
    static DocumentSpans of(int[] docIds, int batch, int seqLen) {
        int[] first = new int[batch * seqLen];
        int[] last = new int[batch * seqLen];
        boolean[] contiguous = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            int base = b * seqLen;
            contiguous[b] = true;
            Map<Integer, Integer> firstOf = new HashMap<>();
            for (int t = 0; t < seqLen; t++) {
                int doc = docIds[base + t];
                if (t > 0 && docIds[base + t - 1] == doc) {
                    first[base + t] = first[base + t - 1];
                    continue;
                }
                Integer seen = firstOf.putIfAbsent(doc, t);
                if (seen != null) {
                    contiguous[b] = false;
                }
                first[base + t] = seen == null ? t : seen;
            }
            Map<Integer, Integer> lastOf = new HashMap<>();
            for (int t = seqLen - 1; t >= 0; t--) {
                int doc = docIds[base + t];
                if (t < seqLen - 1 && docIds[base + t + 1] == doc) {
                    last[base + t] = last[base + t + 1];
                    continue;
                }
                Integer seen = lastOf.putIfAbsent(doc, t);
                last[base + t] = seen == null ? t : seen;
            }
        }
        return new DocumentSpans(first, last, contiguous);
    }

    /** First position (row-relative) of the document of row position {@code index} (batch-flat). */
    int first(int index) {
        return first[index];
    }

    /** Last position (row-relative) of the document of row position {@code index} (batch-flat). */
    int last(int index) {
        return last[index];
    }

    /** Whether every document of row {@code b} is one run of positions. */
    boolean contiguous(int b) {
        return contiguous[b];
    }
}
