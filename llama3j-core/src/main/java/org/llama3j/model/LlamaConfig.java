package org.llama3j.model;

/**
 * The shape and constants of a Llama 3 model, read from GGUF metadata or a Hugging Face
 * {@code config.json}.
 *
 * @param dim            model width ({@code hidden_size}, GGUF {@code llama.embedding_length})
 * @param layers         transformer blocks
 * @param heads          query heads
 * @param kvHeads        key/value heads (grouped-query attention: {@code heads % kvHeads == 0})
 * @param headDim        width of one head ({@code dim / heads} unless the checkpoint says otherwise)
 * @param ffnDim         hidden width of the SwiGLU MLP
 * @param vocabSize      rows of the embedding matrix
 * @param contextLength  maximum positions the model was trained for
 * @param normEps        RMSNorm epsilon
 * @param ropeTheta      RoPE base (500000 for Llama 3)
 * @param ropeFrequencyDivisors per-frequency divisors ({@code headDim/2} values; all 1 when unscaled),
 *                       from {@link RopeScaling} or a GGUF {@code rope_freqs} tensor
 * @param tiedEmbeddings whether the output head reuses the token embedding matrix
 */
public record LlamaConfig(int dim, int layers, int heads, int kvHeads, int headDim, int ffnDim, int vocabSize,
                          int contextLength, float normEps, float ropeTheta, float[] ropeFrequencyDivisors,
                          boolean tiedEmbeddings) {

    public LlamaConfig {
        require(dim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && headDim > 0 && ffnDim > 0 && vocabSize > 0
                && contextLength > 0, "all sizes must be positive");
        require(heads % kvHeads == 0, "heads (" + heads + ") must be a multiple of kv heads (" + kvHeads + ")");
        require(headDim % 2 == 0, "head dimension " + headDim + " must be even for RoPE");
        require(normEps > 0 && Float.isFinite(normEps), "rms norm epsilon must be positive");
        require(ropeTheta > 0 && Float.isFinite(ropeTheta), "rope theta must be positive");
        if (ropeFrequencyDivisors == null) {
            ropeFrequencyDivisors = new float[headDim / 2];
            java.util.Arrays.fill(ropeFrequencyDivisors, 1f);
        }
        require(ropeFrequencyDivisors.length == headDim / 2,
                "rope frequency factors: " + ropeFrequencyDivisors.length + " values, need headDim/2 = " + headDim / 2);
        ropeFrequencyDivisors = ropeFrequencyDivisors.clone();
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("invalid model config: " + problem);
        }
    }

    /** Width of all key (or value) heads together. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Width of all query heads together. */
    public int qDim() {
        return heads * headDim;
    }

    @Override
    public float[] ropeFrequencyDivisors() {
        return ropeFrequencyDivisors.clone();
    }
}
