package org.llama3j.format.hf;

/**
 * Tensor names of an HF {@code LlamaForCausalLM} state dict (transformers {@code modeling_llama.py}),
 * with the GGUF name each corresponds to (convert_hf_to_gguf.py / gguf-py {@code tensor_mapping.py}).
 */
public final class HfTensorNames {
    /** GGUF {@code token_embd.weight}. */
    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    /** GGUF {@code output_norm.weight}. */
    public static final String NORM = "model.norm.weight";
    /** GGUF {@code output.weight}; absent when the embeddings are tied. */
    public static final String LM_HEAD = "lm_head.weight";

    private HfTensorNames() {
    }

    /** GGUF {@code blk.N.attn_norm.weight}. */
    public static String inputNorm(int layer) {
        return layer(layer) + "input_layernorm.weight";
    }

    /** GGUF {@code blk.N.attn_q.weight} (rows permuted, see {@link RopePermutation}). */
    public static String qProj(int layer) {
        return layer(layer) + "self_attn.q_proj.weight";
    }

    /** GGUF {@code blk.N.attn_k.weight} (rows permuted, see {@link RopePermutation}). */
    public static String kProj(int layer) {
        return layer(layer) + "self_attn.k_proj.weight";
    }

    /** GGUF {@code blk.N.attn_v.weight}. */
    public static String vProj(int layer) {
        return layer(layer) + "self_attn.v_proj.weight";
    }

    /** GGUF {@code blk.N.attn_output.weight}. */
    public static String oProj(int layer) {
        return layer(layer) + "self_attn.o_proj.weight";
    }

    /** GGUF {@code blk.N.ffn_norm.weight}. */
    public static String postAttentionNorm(int layer) {
        return layer(layer) + "post_attention_layernorm.weight";
    }

    /** GGUF {@code blk.N.ffn_gate.weight}. */
    public static String gateProj(int layer) {
        return layer(layer) + "mlp.gate_proj.weight";
    }

    /** GGUF {@code blk.N.ffn_up.weight}. */
    public static String upProj(int layer) {
        return layer(layer) + "mlp.up_proj.weight";
    }

    /** GGUF {@code blk.N.ffn_down.weight}. */
    public static String downProj(int layer) {
        return layer(layer) + "mlp.down_proj.weight";
    }

    private static String layer(int layer) {
        return "model.layers." + layer + ".";
    }
}
