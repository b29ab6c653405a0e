package org.llama3j.posttrain.sft;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.llama3j.posttrain.data.EncodedDialog;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.model.TrainingTarget;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.posttrain.run.RunSettings;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * Supervised fine-tuning: next-token cross-entropy on assistant tokens only (the mean over them in
 * each batch), over packed rows with document masks, with the shared post-training loop; of the whole
 * model or of a LoRA adapter (the {@link TrainingTarget}).
 */
public final class SftTrainer {

    private SftTrainer() {
    }

    public static Map<String, Double> train(TrainingTarget target, List<EncodedDialog> train, List<EncodedDialog> val,
                                            int rowsPerBatch, int seqLen, RunSettings settings, boolean resume,
                                            WorkerPool pool, Consumer<String> progress) throws IOException {
        LlamaTrainingModel lm = target.model();
        SftBatches batches = new SftBatches(train, rowsPerBatch, seqLen, settings.seed());
        List<TokenBatch> valBatches = val.isEmpty() ? List.of()
                : SftBatches.evaluationBatches(val, rowsPerBatch, seqLen);
        PostTrainRun run = new PostTrainRun(settings, target, Optional.empty(), pool, progress);
        if (resume) {
            run.resume();
        }
        return run.run(step -> {
            TokenBatch b = batches.batch(step);
            float loss = lm.forwardBackward(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen());
            return Map.of("loss", (double) loss);
        }, valBatches.isEmpty() ? null : step -> Map.of("valLoss", meanLoss(lm, valBatches)));
    }

    /** Token-weighted mean loss over assistant tokens of the batches. */
    public static double meanLoss(LlamaTrainingModel lm, List<TokenBatch> batches) {
        double total = 0;
        long count = 0;
        for (TokenBatch b : batches) {
            int n = 0;
            for (int t : b.targets()) {
                n += t >= 0 ? 1 : 0;
            }
            if (n == 0) {
                continue;
            }
            total += (double) lm.forward(b.tokens(), b.targets(), b.docIds(), b.rows(), b.seqLen()) * n;
            count += n;
        }
        return count == 0 ? Double.NaN : total / count;
    }
}
