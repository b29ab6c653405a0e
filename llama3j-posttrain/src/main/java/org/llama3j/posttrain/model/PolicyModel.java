package org.llama3j.posttrain.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.llama3j.Llama;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.lora.BaseModelLoader;
import org.llama3j.train.model.LlamaParameters;

/**
 * A model to post-train: parameters (from a pretraining or post-training checkpoint, or any model file
 * llama3j reads) and the tokenizer stored with them (tiktoken bytes; Llama 3's special tokens follow the ranks).
 */
public record PolicyModel(LlamaParameters params, byte[] tokenizerBytes, Tokenizer tokenizer) {

    public static PolicyModel fromCheckpoint(Path file) throws IOException {
        return fromState(CheckpointStore.read(file), file.toString());
    }

    public static PolicyModel fromState(TrainingState state, String source) {
        return fromState(state, source, false);
    }

    private static PolicyModel fromState(TrainingState state, String source, boolean frozen) {
        LlamaParameters params = frozen ? LlamaParameters.withoutGradients(state.shape()) : new LlamaParameters(state.shape());
        if (state.weights().length != params.size()) {
            // e.g. a LoRA run's checkpoints/ckpt-N.l3jc, which holds adapter weights only
            throw new IllegalArgumentException(source + ": holds " + state.weights().length + " weights, but its model shape has "
                    + params.size() + "; not a model checkpoint (a LoRA run's model is its adapter/ directory, or its"
                    + " model.l3jc with lora.merge: true)");
        }
        System.arraycopy(state.weights(), 0, params.values(), 0, state.weights().length);
        return new PolicyModel(params, state.tokenizer(), tokenizerOf(state.tokenizer(), source));
    }

    /**
     * A training checkpoint ({@code .l3jc}) or a model file of any type llama3j loads (GGUF, also Q8_0/Q4_0,
     * or a Hugging Face checkpoint), dequantized once to FP32. {@code frozen}: without gradient arrays
     * (a base for LoRA, which never trains these weights).
     */
    public static PolicyModel load(Path file, boolean frozen) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".l3jc")) {
            return fromState(CheckpointStore.read(file), file.toString(), frozen);
        }
        try (Llama llama = Llama.load(file)) {
            LlamaParameters p = BaseModelLoader.fromWeights(llama.config(), llama.model().weights());
            if (!frozen) {
                LlamaParameters t = new LlamaParameters(p.shape());
                System.arraycopy(p.values(), 0, t.values(), 0, p.size());
                p = t;
            }
            return new PolicyModel(p, tiktokenBytes(llama.tokenizer()), llama.tokenizer());
        }
    }

    public static Tokenizer tokenizerOf(byte[] tiktoken, String source) {
        return Llama3Tokenizer.load(new java.io.ByteArrayInputStream(tiktoken), source);
    }

    /** The tiktoken file of a byte-level BPE tokenizer (rank = id of each mergeable token), for checkpoints. */
    static byte[] tiktokenBytes(Tokenizer t) {
        Map<ByteSequence, Integer> ranks = new HashMap<>();
        for (int id = 0; id < t.mergeableCount(); id++) {
            ranks.put(ByteSequence.of(t.tokenBytes(id)), id);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TiktokenFile.write(ranks, out);
        return out.toByteArray();
    }

    /** A deep copy (the frozen reference of DPO and PPO). */
    public PolicyModel copy() {
        LlamaParameters p = new LlamaParameters(params.shape());
        System.arraycopy(params.values(), 0, p.values(), 0, p.values().length);
        return new PolicyModel(p, tokenizerBytes, tokenizer);
    }
}
