package org.llama3j.train.model;

import java.util.List;

/**
 * What an optimizer updates: flat FP32 values with a gradient array of the same layout, split into
 * named tensors. Full fine-tuning trains {@link LlamaParameters}; LoRA trains only its adapter
 * matrices ({@code org.llama3j.train.lora.LoraParameters}) over a frozen base.
 */
public interface TrainableParameters {

    /** The weights, laid out as {@link #views()} describes. */
    float[] values();

    /** Gradients, same layout as {@link #values()}. */
    float[] grads();

    /** Tensors in storage order. */
    List<ParameterView> views();

    default int size() {
        return values().length;
    }

    default void zeroGrads() {
        java.util.Arrays.fill(grads(), 0f);
    }
}
