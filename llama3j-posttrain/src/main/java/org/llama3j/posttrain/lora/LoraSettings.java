package org.llama3j.posttrain.lora;

import org.llama3j.model.lora.LoraConfig;

/**
 * A recipe's {@code lora:} block.
 *
 * @param config the adapter (rank r, alpha α, dropout on the adapter input, target projections); scale α/r
 * @param merge  also write {@code model.l3jc}: the base with {@code (α/r)·B·A} folded in, a full
 *               training checkpoint that later stages start from and {@code llama3j export} turns into a GGUF
 */
public record LoraSettings(LoraConfig config, boolean merge) {
}
