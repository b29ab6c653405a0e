package org.llama3j.model;

import java.util.List;
import org.llama3j.tensor.Tensor;

/**
 * All weights of a Llama model, as tensors read in place. {@code output} is the token embedding
 * itself when the embeddings are tied (Llama 3.2 1B/3B).
 */
public record LlamaWeights(Tensor tokenEmbedding, List<LayerWeights> layers, Tensor outputNorm, Tensor output) {
    public LlamaWeights {
        layers = List.copyOf(layers);
    }
}
