package org.llama3j.model;

import java.util.List;
import org.llama3j.tensor.Tensor;

/** One transformer block's weights (GGUF names {@code blk.N.*}). */
public record LayerWeights(
        Tensor attnNorm,   // attn_norm  [dim]
        Tensor wq,         // attn_q     [dim, heads*headDim]
        Tensor wk,         // attn_k     [dim, kvHeads*headDim]
        Tensor wv,         // attn_v     [dim, kvHeads*headDim]
        Tensor wo,         // attn_output [heads*headDim, dim]
        Tensor ffnNorm,    // ffn_norm   [dim]
        Tensor wGate,      // ffn_gate (w1) [dim, ffnDim]
        Tensor wUp,        // ffn_up   (w3) [dim, ffnDim]
        Tensor wDown) {    // ffn_down (w2) [ffnDim, dim]

    /** The block's seven weight matrices (everything but the norms), in file order. */
    public List<Tensor> matrices() {
        return List.of(wq, wk, wv, wo, wGate, wUp, wDown);
    }
}
