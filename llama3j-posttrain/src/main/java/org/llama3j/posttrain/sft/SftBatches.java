package org.llama3j.posttrain.sft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.data.SequenceRows;
import org.llama3j.posttrain.data.TokenBatch;

/**
 * SFT batches as a pure function of the step: each epoch shuffles the dialogs (seeded by seed and
 * epoch), packs them greedily into rows of {@code seqLen} with document masks, and cuts the rows
 * into batches of {@code rowsPerBatch}; the last batch of an epoch may have fewer rows.
 */
public final class SftBatches {

    private final List<EncodedDialog> dialogs;
    private final int rowsPerBatch;
    private final int seqLen;
    private final long seed;
    private final Map<Integer, List<TokenBatch>> epochs = new HashMap<>();

    public SftBatches(List<EncodedDialog> dialogs, int rowsPerBatch, int seqLen, long seed) {
        if (dialogs.isEmpty()) {
            throw new IllegalArgumentException("no SFT dialogs");
        }
        this.dialogs = List.copyOf(dialogs);
        this.rowsPerBatch = rowsPerBatch;
        this.seqLen = seqLen;
        this.seed = seed;
    }

    public TokenBatch batch(int step) {
        int epoch = 0;
        int index = step;
        while (index >= epoch(epoch).size()) {
            index -= epoch(epoch).size();
            epoch++;
        }
        return epoch(epoch).get(index);
    }

    private List<TokenBatch> epoch(int epoch) {
        if (epochs.size() > 4) {
            epochs.keySet().removeIf(e -> e < epoch - 1);
        }
        return epochs.computeIfAbsent(epoch, e -> packEpoch(shuffled(e)));
    }

    private List<EncodedDialog> shuffled(int epoch) {
        List<EncodedDialog> order = new ArrayList<>(dialogs);
        java.util.Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order;
    }

    /** All rows of the given dialogs, in batches of at most {@code rowsPerBatch} rows. */
    List<TokenBatch> packEpoch(List<EncodedDialog> order) {
        List<TokenBatch> out = new ArrayList<>();
        List<EncodedDialog> current = new ArrayList<>();
        for (EncodedDialog d : order) {
            current.add(d);
            if (SequenceRows.rowsNeeded(current, seqLen) > rowsPerBatch) {
                current.removeLast();
                out.add(SequenceRows.packed(current, rowsPerBatch, seqLen));
                current.clear();
                current.add(d);
            }
        }
        if (!current.isEmpty()) {
            out.add(SequenceRows.packed(current, SequenceRows.rowsNeeded(current, seqLen), seqLen));
        }
        return out;
    }

    /** Every dialog once, in order, for evaluation. */
    public static List<TokenBatch> evaluationBatches(List<EncodedDialog> dialogs, int rowsPerBatch, int seqLen) {
        return new SftBatches(dialogs, rowsPerBatch, seqLen, 0).packEpoch(dialogs);
    }
}
