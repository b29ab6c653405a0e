package org.llama3j.model.lora;

/**
 * The seven linear projections of a Llama block that a LoRA adapter can target, with the module
 * name PEFT's {@code target_modules} uses (transformers {@code modeling_llama.py}: {@code self_attn.q_proj}
 * … {@code mlp.down_proj}) and the GGUF tensor name (llama.cpp {@code LLM_TENSOR_NAMES}).
 */
public enum Projection {
    Q("q_proj", "self_attn", "attn_q"),
    K("k_proj", "self_attn", "attn_k"),
    V("v_proj", "self_attn", "attn_v"),
    O("o_proj", "self_attn", "attn_output"),
    GATE("gate_proj", "mlp", "ffn_gate"),
    UP("up_proj", "mlp", "ffn_up"),
    DOWN("down_proj", "mlp", "ffn_down");

    private final String module;
    private final String parent;
    private final String gguf;

    Projection(String module, String parent, String gguf) {
        this.module = module;
        this.parent = parent;
        this.gguf = gguf;
    }

    /** PEFT/transformers module name, e.g. {@code q_proj}. */
    public String module() {
        return module;
    }

    /** Module path inside {@code model.layers.N}, e.g. {@code self_attn.q_proj}. */
    public String path() {
        return parent + "." + module;
    }

    /** GGUF weight name of layer {@code l}, e.g. {@code blk.0.attn_q.weight}. */
    public String ggufWeight(int layer) {
        return "blk." + layer + "." + gguf + ".weight";
    }

    /** GGUF tensor stem without {@code blk.N.} and {@code .weight}, e.g. {@code attn_q}. */
    public String ggufStem() {
        return gguf;
    }

    /** The projection with PEFT module name {@code name} ({@code q_proj} …), or null. */
    public static Projection ofModule(String name) {
        for (Projection p : values()) {
            if (p.module.equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Input width in a model of these sizes. */
    public int in(LoraBase b) {
        return switch (this) {
            case O -> b.qDim();
            case DOWN -> b.ffnDim();
            default -> b.dim();
        };
    }

    /** Output width in a model of these sizes. */
    public int out(LoraBase b) {
        return switch (this) {
            case Q -> b.qDim();
            case K, V -> b.kvDim();
            case O, DOWN -> b.dim();
            case GATE, UP -> b.ffnDim();
        };
    }
}
