package org.llama3j.model.lora;

import java.util.EnumSet;
import java.util.Set;

/**
 * A LoRA adapter's hyper-parameters (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language
 * Models", §4.1): a projection {@code W} becomes {@code W + (alpha/rank)·B·A} with {@code A} of
 * shape {@code [rank, in]} and {@code B} of shape {@code [out, rank]}. {@code dropout} is applied to
 * the adapter's input only, as PEFT's {@code lora_dropout} does. The fields are those of PEFT's
 * {@code adapter_config.json} ({@code r}, {@code lora_alpha}, {@code lora_dropout}, {@code target_modules}).
 */
public record LoraConfig(int rank, float alpha, float dropout, Set<Projection> targets) {

    public LoraConfig {
        if (rank <= 0) {
            throw new IllegalArgumentException("LoRA rank r must be > 0, got " + rank);
        }
        if (!(alpha > 0f) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target projection (q_proj … down_proj)");
        }
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    /** The usual attention-only adapter (PEFT's default for Llama: q_proj, v_proj). */
    public static LoraConfig of(int rank, float alpha, Projection... targets) {
        return new LoraConfig(rank, alpha, 0f, EnumSet.copyOf(java.util.List.of(targets)));
    }

    /** Multiplier of {@code B·A}: alpha / rank (PEFT {@code scaling}, rsLoRA off). */
    public float scale() {
        return alpha / rank;
    }

    /** Targets in declaration order (q, k, v, o, gate, up, down). */
    public EnumSet<Projection> orderedTargets() {
        return EnumSet.copyOf(targets);
    }
}
