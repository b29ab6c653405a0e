package org.llama3j.train.model;

/**
 * What one transformer block keeps from its forward pass for its backward pass, for
 * {@code rows = B·T} tokens. Q and K are stored after RoPE; attention keeps only the row
 * log-sum-exps ({@code lse}), not the T×T probabilities.
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
}
