package org.llama3j.posttrain.reward;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.data.SequenceRows;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaTrainingModel;

/** A trained reward model (a reward run's {@code model.l3jc} + {@code head.bin}) that scores dialogs. */
public final class RewardModel {

    private final LlamaTrainingModel backbone;
    private final ScalarHead head;

    public RewardModel(LlamaTrainingModel backbone, ScalarHead head) {
        this.backbone = backbone;
        this.head = head;
    }

    /** Loads a reward run's output directory. */
    public static RewardModel load(Path dir, WorkerPool pool) throws IOException {
        PolicyModel m = PolicyModel.fromCheckpoint(dir.resolve("model.l3jc"));
        return new RewardModel(new LlamaTrainingModel(m.params(), pool), ScalarHead.load(dir.resolve("head.bin")));
    }

    /** Score of each full dialog (prompt + reply tokens) at its last token. */
    public float[] score(List<int[]> dialogs) {
        List<EncodedDialog> rows = dialogs.stream()
                .map(t -> new EncodedDialog(t, new boolean[t.length], 0)).toList();
        int longest = rows.stream().mapToInt(EncodedDialog::length).max().orElse(1);
        TokenBatch b = SequenceRows.onePerRow(rows, longest);
        return RewardLoss.scores(backbone, head, b);
    }
}
