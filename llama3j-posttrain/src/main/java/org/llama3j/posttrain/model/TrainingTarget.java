package org.llama3j.posttrain.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.TrainableParameters;

/**
 * What a post-training run optimizes: the whole model ({@link FullFineTuning}) or a LoRA adapter over
 * a frozen base ({@code org.llama3j.posttrain.lora.LoraFineTuning}). A method runs its loss on
 * {@link #model()}; the shared loop ({@code PostTrainRun}) zeroes, clips and updates
 * {@link #trainable()} and checkpoints its values with AdamW's moments.
 */
public interface TrainingTarget {

    /** The model the losses run on (for LoRA: the frozen base with the adapter's side path installed). */
    LlamaTrainingModel model();

    /** What the optimizer updates; a checkpoint's weights are these values. */
    TrainableParameters trainable();

    /** The model's shape (checkpoints record it; a resume checks it). */
    ModelShape shape();

    Tokenizer tokenizer();

    /** tiktoken bytes of {@link #tokenizer()}, stored in every checkpoint so it exports on its own. */
    byte[] tokenizerBytes();

    /** Before step {@code step}'s forward/backward (LoRA: restarts dropout from the step, for exact resumes). */
    default void beforeStep(long seed, int step) {
    }

    /** Runs an evaluation (no gradients) with training-only randomness (dropout) off. */
    default <T> T evaluating(Supplier<T> body) {
        return body.get();
    }

    /** One line for the log: what is trained, and how many weights. */
    String describe();

    /**
     * Ties the checkpoint directory to this target before the first checkpoint (fresh run) or before
     * loading one ({@code resume}): a LoRA run records its adapter config there and refuses to resume
     * under another.
     */
    default void bindCheckpoints(Path dir, boolean resume) throws IOException {
    }

    /** Writes the run's result into {@code out}; {@code state} holds the final trainable values. */
    void writeFinal(Path out, TrainingState state) throws IOException;
}
