package org.llama3j.train.lora;

import java.io.IOException;
import java.nio.file.Path;
import org.llama3j.model.lora.LoraAdapter;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.LoraMatrices;
import org.llama3j.model.lora.PeftAdapter;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ParameterView;
import org.llama3j.train.model.TrainConfig;
import org.llama3j.train.model.TrainStepper;
import org.llama3j.train.model.TrainableParameters;
import org.llama3j.train.optim.AdamW;

/**
 * LoRA fine-tuning (Hu et al. 2021) of a frozen base: a {@link LlamaTrainingModel} over the base's
 * weights without gradients, with {@link LoraSidePath} hooked on the adapted projections. Only
 * {@link #trainableParameters()} (A and B) get gradients and optimizer state.
 *
 * <p>Has the same {@code forward}/{@code forwardBackward}/{@code logits} as {@link LlamaTrainingModel},
 * and {@link #model()} is that model with the adapter installed, so a trainer written against
 * {@code LlamaTrainingModel} + {@link TrainableParameters} switches between full fine-tuning
 * ({@code model}, {@code model.parameters()}) and LoRA ({@code lora.model()}, {@code lora.trainableParameters()}).
 */
public final class LoraTrainingModel {

    private final LlamaParameters base;
    private final LoraParameters lora;
    private final LoraSidePath side;
    private final LlamaTrainingModel model;

    private LoraTrainingModel(LlamaParameters base, LoraParameters lora, WorkerPool pool, int vocabChunk, long seed) {
        this.base = base.isFrozen() ? base : base.frozen();
        this.lora = lora;
        this.side = new LoraSidePath(lora, pool, seed ^ 0x5DEECE66DL);
        this.model = new LlamaTrainingModel(this.base, pool, vocabChunk);
        model.setProjectionHook(side);
    }

    /** A fresh adapter on {@code base}: A Kaiming-uniform from {@code seed}, B zero (PEFT's init). */
    public static LoraTrainingModel create(LlamaParameters base, LoraConfig config, long seed, WorkerPool pool) {
        return create(base, config, seed, pool, LlamaTrainingModel.DEFAULT_VOCAB_CHUNK);
    }

    public static LoraTrainingModel create(LlamaParameters base, LoraConfig config, long seed, WorkerPool pool,
                                           int vocabChunk) {
        LoraParameters p = new LoraParameters(base.shape(), config);
        p.initialize(seed);
        return new LoraTrainingModel(base, p, pool, vocabChunk, seed);
    }

    /** Continues training (or evaluates) a saved adapter on {@code base}. */
    public static LoraTrainingModel of(LlamaParameters base, LoraAdapter adapter, WorkerPool pool, int vocabChunk) {
        LoraParameters p = new LoraParameters(base.shape(), adapter.config());
        p.load(adapter);
        return new LoraTrainingModel(base, p, pool, vocabChunk, 0);
    }

    /** The base model with the adapter installed (shares weights and activations with this object). */
    public LlamaTrainingModel model() {
        return model;
    }

    /** A and B of every adapted projection, with their gradients: what the optimizer updates. */
    public LoraParameters trainableParameters() {
        return lora;
    }

    /** The frozen base (no gradients). */
    public LlamaParameters base() {
        return base;
    }

    public LoraConfig config() {
        return lora.config();
    }

    /** Dropout on the adapter inputs is active only in training mode (the default). */
    public void setTraining(boolean training) {
        side.training = training;
    }

    /** Whether dropout is on (training mode). */
    public boolean isTraining() {
        return side.training;
    }

    /**
     * Restarts the dropout random stream from {@code seed}. Seeding it from the step number makes a
     * step's masks independent of what ran before it, so a resumed run draws the masks an uninterrupted
     * one draws (and evaluation passes in between change nothing).
     */
    public void reseedDropout(long seed) {
        side.reseed(seed);
    }

    public float forward(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen) {
        return model.forward(tokens, targets, docIds, batch, seqLen);
    }

    /** Forward and backward; adds the gradient of {@code dLoss·loss} to the adapter's gradients only. */
    public float forwardBackward(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen, float dLoss) {
        return model.forwardBackward(tokens, targets, docIds, batch, seqLen, dLoss);
    }

    public float forwardBackward(int[] tokens, int[] targets, int[] docIds, int batch, int seqLen) {
        return forwardBackward(tokens, targets, docIds, batch, seqLen, 1f);
    }

    /** Logits with dropout off (evaluation), whatever the mode. */
    public float[] logits(int[] tokens, int[] docIds, int batch, int seqLen) {
        boolean was = side.training;
        side.training = false;
        try {
            return model.logits(tokens, docIds, batch, seqLen);
        } finally {
            side.training = was;
        }
    }

    /** A copy of the adapter's current weights in core's form. */
    public LoraAdapter toAdapter() {
        return lora.toAdapter();
    }

    /** Saves the adapter in the Hugging Face PEFT layout ({@link PeftAdapter}). */
    public void save(Path dir, String baseModelName) throws IOException {
        PeftAdapter.write(toAdapter(), baseModelName, dir);
    }

    /**
     * A full copy of the base with the adapter folded in, {@code W + (α/r)·B·A} (PEFT
     * {@code merge_and_unload}), ready for {@code GgufExporter} or further full fine-tuning.
     */
    public LlamaParameters mergedParameters() {
        LlamaParameters merged = new LlamaParameters(base.shape());
        System.arraycopy(base.values(), 0, merged.values(), 0, base.size());
        LoraAdapter a = toAdapter();
        for (var e : a.matrices().entrySet()) {
            LoraAdapter.Site s = e.getKey();
            String name = s.projection().ggufWeight(s.layer());
            float[] w = merged.copyOf(name);
            LoraMatrices m = e.getValue();
            m.addDeltaTo(w, a.config().scale());
            merged.set(name, w);
        }
        return merged;
    }

    /** One-call optimizer steps (zero grads, forward/backward, clip, schedule, AdamW) on the adapter only. */
    public TrainStepper stepper(TrainConfig config, WorkerPool pool) {
        return new TrainStepper(model, lora, new AdamW(lora, config.optimizer(), pool), config.schedule(),
                config.gradClipNorm());
    }

    /** Memory of weights, gradients and optimizer state, against full fine-tuning of the same base. */
    public LoraMemory memory() {
        return LoraMemory.of(base.size(), lora.size());
    }

    /** Names and shapes of the trainable tensors (for logs). */
    public java.util.List<ParameterView> trainableViews() {
        return lora.views();
    }
}
