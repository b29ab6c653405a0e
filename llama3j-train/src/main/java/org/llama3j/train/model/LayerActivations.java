package org.llama3j.train.model;

/**
 * What one transformer block keeps from its forward pass for its backward pass, for
 * {@code rows = B·T} tokens. Q and K are stored after RoPE; attention keeps only the row
 * log-sum-exps ({@code lse}), not the T×T probabilities.
 *
 * <p>With activation recomputation every block owns only its {@link #input}; all other arrays are
 * one body shared by all blocks ({@link #sharing}), refilled by re-running a block's forward pass
 * just before its backward pass.
 */
final class LayerActivations {
    final float[] input;        // residual stream entering the block [rows][dim]
    final float[] attnNormOut;  // [rows][dim]
    final float[] attnRstd;     // [rows]
    final float[] q;            // [rows][heads·headDim], rotated
    final float[] k;            // [rows][kvDim], rotated
    final float[] v;            // [rows][kvDim]
    final float[] attnOut;      // [rows][dim], before attn_output
    final float[] lse;          // [rows][heads]
    final float[] mid;          // residual stream after attention [rows][dim]
    final float[] ffnNormOut;   // [rows][dim]
    final float[] ffnRstd;      // [rows]
    final float[] gate;         // w1·x [rows][ffn]
    final float[] up;           // w3·x [rows][ffn]
    final float[] swiglu;       // silu(gate)·up [rows][ffn]

    LayerActivations(ModelShape s, int rows) {
        int d = s.dim();
        input = new float[rows * d];
        attnNormOut = new float[rows * d];
        attnRstd = new float[rows];
        q = new float[rows * d];
        k = new float[rows * s.kvDim()];
        v = new float[rows * s.kvDim()];
        attnOut = new float[rows * d];
        lse = new float[rows * s.nHeads()];
        mid = new float[rows * d];
        ffnNormOut = new float[rows * d];
        ffnRstd = new float[rows];
        gate = new float[rows * s.ffnDim()];
        up = new float[rows * s.ffnDim()];
        swiglu = new float[rows * s.ffnDim()];
    }

    /** A block with its own input and every other activation array shared with {@code body}. */
    private LayerActivations(float[] input, LayerActivations body) {
        this.input = input;
        attnNormOut = body.attnNormOut;
        attnRstd = body.attnRstd;
        q = body.q;
        k = body.k;
        v = body.v;
        attnOut = body.attnOut;
        lse = body.lse;
        mid = body.mid;
        ffnNormOut = body.ffnNormOut;
        ffnRstd = body.ffnRstd;
        gate = body.gate;
        up = body.up;
        swiglu = body.swiglu;
    }

    /** A block that keeps only its own input and shares the rest with {@code body} (recomputation). */
    static LayerActivations sharing(ModelShape s, int rows, LayerActivations body) {
        return new LayerActivations(new float[rows * s.dim()], body);
    }

    /** Floats per token of one block's stored activations: input plus {@link #bodyFloatsPerToken}. */
    static long floatsPerToken(ModelShape s) {
        return s.dim() + bodyFloatsPerToken(s);
    }

    /** Floats per token of everything but the input: 5·dim + 2·kvDim + heads + 2 + 3·ffn. */
    static long bodyFloatsPerToken(ModelShape s) {
        return 5L * s.dim() + 2L * s.kvDim() + s.nHeads() + 2 + 3L * s.ffnDim();
    }
}
