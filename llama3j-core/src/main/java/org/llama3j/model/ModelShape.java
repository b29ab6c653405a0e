package org.llama3j.model;

/**
 * The hyper-parameters that define a Llama-architecture model's tensors, for making new models
 * (random test models, training from scratch).
 *
 * @param ropeScaling null for plain RoPE
 */
public record ModelShape(int dim, int layers, int heads, int kvHeads, int ffnDim, int contextLength,
                         float ropeTheta, float normEps, RopeScaling ropeScaling, boolean tiedEmbeddings) {

    public ModelShape {
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffnDim <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("model shape sizes must be positive");
        }
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not divisible by heads " + heads);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads " + heads + " is not a multiple of kv heads " + kvHeads);
        }
    }

    /** Llama-3.2-1B: dim 2048, 16 layers, 32 heads, 8 KV heads, FFN 8192, rope scaling factor 32, tied. */
    public static ModelShape llama32_1B() {
        return new ModelShape(2048, 16, 32, 8, 8192, 131072, 500000f, 1e-5f,
                new RopeScaling(32, 1, 4, 8192), true);
    }

    public int headDim() {
        return dim / heads;
    }
}
