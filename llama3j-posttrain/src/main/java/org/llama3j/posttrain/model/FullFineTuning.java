package org.llama3j.posttrain.model;

import java.io.IOException;
import java.nio.file.Path;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.checkpoint.CheckpointCodec;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.TrainableParameters;

/** Every weight of the model trained; the result is {@code model.l3jc}, a training checkpoint. */
public final class FullFineTuning implements TrainingTarget {

    private final PolicyModel policy;
    private final LlamaTrainingModel model;

    public FullFineTuning(PolicyModel policy, WorkerPool pool) {
        if (policy.params().isFrozen()) {
            throw new IllegalArgumentException("full fine-tuning needs parameters with gradients, not a frozen base");
        }
        this.policy = policy;
        this.model = new LlamaTrainingModel(this.policy.params(), pool);
    }

    @Override
    public LlamaTrainingModel model() {
        return model;
    }

    @Override
    public TrainableParameters trainable() {
        return policy.params();
    }

    @Override
    public ModelShape shape() {
        return policy.params().shape();
    }

    @Override
    public Tokenizer tokenizer() {
        return policy.tokenizer();
    }

    @Override
    public byte[] tokenizerBytes() {
        return policy.tokenizerBytes();
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "full fine-tuning: %,d weights", policy.params().size());
    }

    @Override
    public void writeFinal(Path out, TrainingState state) throws IOException {
        PostTrainRun.writeAtomically(out.resolve("model.l3jc"), o -> CheckpointCodec.write(state, o));
    }
}
