package org.llama3j.posttrain.model;

import java.io.IOException;
import java.nio.file.Path;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.model.LlamaParameters;

/**
 * A model to post-train: parameters (from a pretraining or post-training checkpoint) and the
 * tokenizer stored with them (tiktoken bytes; Llama 3's special tokens follow the ranks).
 */
public record PolicyModel(LlamaParameters params, byte[] tokenizerBytes, Tokenizer tokenizer) {

    public static PolicyModel fromCheckpoint(Path file) throws IOException {
        return fromState(CheckpointStore.read(file), file.toString());
    }

    public static PolicyModel fromState(TrainingState state, String source) {
        LlamaParameters params = new LlamaParameters(state.shape());
        System.arraycopy(state.weights(), 0, params.values(), 0, state.weights().length);
        return new PolicyModel(params, state.tokenizer(), tokenizerOf(state.tokenizer(), source));
    }

    public static Tokenizer tokenizerOf(byte[] tiktoken, String source) {
        return Llama3Tokenizer.load(new java.io.ByteArrayInputStream(tiktoken), source);
    }

    /** A deep copy (the frozen reference of DPO and PPO). */
    public PolicyModel copy() {
        LlamaParameters p = new LlamaParameters(params.shape());
        System.arraycopy(params.values(), 0, p.values(), 0, p.values().length);
        return new PolicyModel(p, tokenizerBytes, tokenizer);
    }
}
