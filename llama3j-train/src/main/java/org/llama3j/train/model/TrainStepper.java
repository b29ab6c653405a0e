package org.llama3j.train.model;

import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.optim.AdamW;
import org.llama3j.train.optim.GradientClipping;
import org.llama3j.train.optim.WarmupCosineSchedule;

/**
 * One full-batch optimizer step in the order of a PyTorch loop: zero grads, forward/backward,
 * clip the global norm, set the scheduled lr, AdamW update.
 */
public final class TrainStepper {

    private final LlamaTrainingModel model;
    private final TrainableParameters trainable;
    private final AdamW optimizer;
    private final WarmupCosineSchedule schedule;
    private final double clipNorm;
    private int step;

    public TrainStepper(LlamaTrainingModel model, AdamW optimizer, WarmupCosineSchedule schedule, double clipNorm) {
        this(model, model.parameters(), optimizer, schedule, clipNorm);
    }

    /**
     * A stepper whose optimizer updates {@code trainable} rather than all of the model's weights
     * (LoRA: the adapter's A and B over a frozen base).
     */
    public TrainStepper(LlamaTrainingModel model, TrainableParameters trainable, AdamW optimizer,
                        WarmupCosineSchedule schedule, double clipNorm) {
        this.model = model;
        this.trainable = trainable;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.clipNorm = clipNorm;
    }

    /** A stepper with the optimizer, schedule and clipping of {@code config}. */
    public static TrainStepper of(TrainConfig config, LlamaTrainingModel model, WorkerPool pool) {
        return new TrainStepper(model, new AdamW(model.parameters(), config.optimizer(), pool), config.schedule(),
                config.gradClipNorm());
    }

    public StepResult step(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen) {
        TrainableParameters p = trainable;
        p.zeroGrads();
        float loss = model.forwardBackward(tokens, targets, docIds, batch, seqLen);
        double norm = GradientClipping.clip(p.grads(), clipNorm);
        float lr = schedule.lr(step);
        optimizer.step(lr);
        return new StepResult(step++, loss, norm, lr);
    }
}
