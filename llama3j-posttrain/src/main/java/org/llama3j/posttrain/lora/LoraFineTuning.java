package org.llama3j.posttrain.lora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.PeftAdapter;
import org.llama3j.model.lora.PeftAdapterConfig;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.posttrain.model.TrainingTarget;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.checkpoint.CheckpointCodec;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.lora.LoraTrainingModel;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.TrainableParameters;

/**
 * LoRA post-training (Hu et al. 2021): a fresh adapter (A Kaiming-uniform, B = 0, so training starts
 * from the base's exact outputs) on a frozen base, which may come from a quantized GGUF (QLoRA-style,
 * dequantized once: {@link org.llama3j.train.lora.BaseModelLoader}). Only A and B get gradients and
 * AdamW state. The result is {@code adapter/} in the Hugging Face PEFT layout ({@code generate --lora},
 * {@code lora merge}), and with {@code merge} also {@code model.l3jc} with the adapter folded in.
 * Checkpoints hold the adapter's values and moments; {@code checkpoints/adapter_config.json} records
 * the adapter config, and a resume under another config is refused.
 */
public final class LoraFineTuning implements TrainingTarget {

    /** Mixes the step into the dropout seed (golden-ratio increment, as SplittableRandom's). */
    private static final long STEP_MIX = 0x9E3779B97F4A7C15L;

    private final LoraTrainingModel lora;
    private final PolicyModel base;
    private final LoraSettings settings;
    private final String baseName;

    private LoraFineTuning(LoraTrainingModel lora, PolicyModel base, LoraSettings settings, String baseName) {
        this.lora = lora;
        this.base = base;
        this.settings = settings;
        this.baseName = baseName;
    }

    /** A fresh adapter (initialised from {@code seed}) on the frozen {@code base}; {@code baseName} goes in adapter_config.json. */
    public static LoraFineTuning create(PolicyModel base, LoraSettings settings, long seed, String baseName,
                                        WorkerPool pool) {
        LoraTrainingModel lora = LoraTrainingModel.create(base.params(), settings.config(), seed, pool);
        return new LoraFineTuning(lora, base, settings, baseName);
    }

    /** The adapter model (base + side path), e.g. for its logits or {@code toAdapter()}. */
    public LoraTrainingModel lora() {
        return lora;
    }

    @Override
    public LlamaTrainingModel model() {
        return lora.model();
    }

    @Override
    public TrainableParameters trainable() {
        return lora.trainableParameters();
    }

    @Override
    public ModelShape shape() {
        return lora.base().shape();
    }

    @Override
    public Tokenizer tokenizer() {
        return base.tokenizer();
    }

    @Override
    public byte[] tokenizerBytes() {
        return base.tokenizerBytes();
    }

    @Override
    public void beforeStep(long seed, int step) {
        lora.reseedDropout(seed ^ (step + 1) * STEP_MIX);
    }

    @Override
    public <T> T evaluating(Supplier<T> body) {
        boolean was = lora.isTraining();
        lora.setTraining(false);
        try {
            return body.get();
        } finally {
            lora.setTraining(was);
        }
    }

    @Override
    public String describe() {
        LoraConfig c = settings.config();
        long adapter = lora.trainableParameters().size();
        long frozen = lora.base().size();
        return String.format(Locale.ROOT, "LoRA r %d, alpha %s (scale %s), dropout %s on %s: %,d trainable weights over a"
                        + " frozen base of %,d (%.2f%%); %s", c.rank(), c.alpha(), c.scale(), c.dropout(),
                c.orderedTargets().stream().map(p -> p.module()).toList(), adapter, frozen, 100.0 * adapter / frozen,
                lora.memory());
    }

    @Override
    public void bindCheckpoints(Path dir, boolean resume) throws IOException {
        Path file = dir.resolve(PeftAdapterConfig.FILE);
        if (resume && Files.isRegularFile(file)) {
            LoraConfig saved = PeftAdapterConfig.read(dir);
            if (!saved.equals(settings.config())) {
                throw new IOException(file + ": the checkpoints were written with LoRA " + saved
                        + ", the recipe asks for " + settings.config() + "; resume with the same lora block");
            }
            return;
        }
        PeftAdapterConfig.write(settings.config(), baseName, dir);
    }

    @Override
    public void writeFinal(Path out, TrainingState state) throws IOException {
        lora.save(out.resolve("adapter"), baseName);
        if (settings.merge()) {
            LlamaParameters merged = lora.mergedParameters();
            int n = merged.size();
            TrainingState full = new TrainingState(merged.shape(), state.step(), merged.values(), new float[n],
                    new float[n], 0, state.loader(), state.rngSeed(), state.batchesDrawn(), 0, 0, new long[0],
                    state.tokenizer());
            PostTrainRun.writeAtomically(out.resolve("model.l3jc"), o -> CheckpointCodec.write(full, o));
        }
    }
}
