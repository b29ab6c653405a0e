package org.llama3j.model.lora;

import org.llama3j.model.LlamaConfig;

/**
 * The sizes of the base model an adapter attaches to: enough to check an adapter's shapes and to
 * permute q/k rows between HF's and GGUF's RoPE layouts. Built from core's {@link LlamaConfig} or
 * from the training module's model shape.
 */
public record LoraBase(int layers, int dim, int heads, int kvHeads, int headDim, int ffnDim) {

    public LoraBase {
        if (layers <= 0 || dim <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || ffnDim <= 0) {
            throw new IllegalArgumentException("base model sizes must be positive");
        }
    }

    public static LoraBase of(LlamaConfig c) {
        return new LoraBase(c.layers(), c.dim(), c.heads(), c.kvHeads(), c.headDim(), c.ffnDim());
    }

    public int qDim() {
        return heads * headDim;
    }

    public int kvDim() {
        return kvHeads * headDim;
    }
}
