package org.llama3j.train.optim;

import org.llama3j.train.model.ParameterView;

/**
 * Which tensors AdamW's decoupled weight decay applies to. Practice differs:
 * <ul>
 * <li>{@link #ALL} — torchtitan (Meta's PyTorch pretraining stack) passes every parameter to one
 *     AdamW group ({@code torchtitan/components/optimizer.py}, {@code OptimizersContainer}:
 *     {@code params = [p for p in model.parameters() if p.requires_grad]}), so norms and
 *     embeddings decay too (weight_decay 0.1 in its Llama 3 configs).</li>
 * <li>{@link #MATRICES} — nanoGPT / llm.c: every tensor with ≥ 2 dims (projections and
 *     embeddings) decays, 1-D tensors (RMSNorm weights) do not.</li>
 * <li>{@link #MATRICES_EXCEPT_EMBEDDINGS} — projections only; the token embedding (and a tied
 *     output) is left alone, as in many HF fine-tuning recipes.</li>
 * </ul>
 * The Llama 3 paper (§3.4.1) gives only "weight decay 0.1"; the default here is {@link #MATRICES}.
 */
public enum WeightDecayScope {
    ALL,
    MATRICES,
    MATRICES_EXCEPT_EMBEDDINGS;

    public boolean decays(ParameterView view) {
        return switch (this) {
            case ALL -> true;
            case MATRICES -> view.isMatrix();
            case MATRICES_EXCEPT_EMBEDDINGS -> view.isMatrix() && !view.name().equals("token_embd.weight");
        };
    }
}
