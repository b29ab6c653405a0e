package org.llama3j.eval.scaling;

/**
 * A Llama 3-architecture model's sizes and its parameter and FLOP counts.
 *
 * <p>{@link #parameters()} N counts every weight that takes part in a matrix multiply: attention
 * (q, k, v, o), the SwiGLU feed-forward (gate, up, down) and the output projection (V·d, also when
 * it is tied to the embedding), plus the RMSNorm gains; the embedding lookup is not counted (Kaplan
 * et al. 2020, "Scaling Laws for Neural Language Models", section 2.1, exclude it because it costs
 * no FLOPs; Chinchilla, Hoffmann et al. 2022, counts total parameters — for our tied models the two
 * differ only by the lookup, which has no compute).
 *
 * <p>{@link #trainingFlopsPerToken()} is Kaplan et al. Table 1: a forward pass costs 2N plus
 * 2·n_layer·n_ctx·d_attn for the attention scores and their weighted sum (d_attn = heads × head_dim =
 * dim), and training (forward + backward) costs three times the forward, so C = 6·N·D +
 * 6·n_layer·n_ctx·d_attn·D. Llama 3 (Dubey et al. 2024, section 3.2.1) and Chinchilla use the
 * same 6ND accounting for compute budgets.
 */
public record ModelSize(int dim, int layers, int heads, int kvHeads, int ffnDim, int vocab, int seqLen) {

    public ModelSize {
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffnDim <= 0 || vocab <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException("model sizes must be positive: " + this);
        }
        if (dim % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads " + heads + " must divide dim " + dim + " and kvHeads " + kvHeads
                    + " must divide heads");
        }
    }

    public int kvDim() {
        return dim / heads * kvHeads;
    }

    /** Weights of one transformer block (matrices and the two RMSNorm gains). */
    public long blockParameters() {
        long attention = 2L * dim * dim + 2L * dim * kvDim();
        long ffn = 3L * dim * ffnDim;
        return attention + ffn + 2L * dim;
    }

    /** N: blocks, final norm and the output projection (see the class comment). */
    public long parameters() {
        return layers * blockParameters() + dim + (long) vocab * dim;
    }

    /** Training FLOPs per token: 6N + 6·n_layer·n_ctx·d_attn (Kaplan et al. Table 1, ×3 for backward). */
    public double trainingFlopsPerToken() {
        return 6.0 * parameters() + 6.0 * layers * seqLen * (double) dim;
    }

    /** Tokens a budget of {@code flops} buys. */
    public double tokensFor(double flops) {
        return flops / trainingFlopsPerToken();
    }

    public String label() {
        return "d" + dim + "-L" + layers;
    }
}
