package org.llama3j.train.model;

/**
 * Activations of a whole forward pass for one batch size, plus backward scratch space. With
 * {@code recompute}, the blocks keep only their inputs and share one body of activations
 * ({@link LayerActivations#sharing}).
 */
final class ActivationBuffers {
    final int rows;
    final boolean recompute;
    final LayerActivations[] layers;
    final float[] finalResidual;  // [rows][dim]
    final float[] finalNormOut;   // [rows][dim]
    final float[] finalRstd;      // [rows]
    final float[] headLse;        // [rows]
    final float[] branch;         // [rows][dim] projection output before the residual add
    // backward scratch
    final float[] dResidual;      // [rows][dim]
    final float[] dNorm;          // [rows][dim]
    final float[] dAttnOut;       // [rows][dim]
    final float[] dq;             // [rows][dim]
    final float[] dk;             // [rows][kvDim]
    final float[] dv;             // [rows][kvDim]
    final float[] dSwiglu;        // [rows][ffn]
    final float[] dGate;          // [rows][ffn]
    final float[] dUp;            // [rows][ffn]

    ActivationBuffers(ModelShape s, int rows, boolean recompute) {
        this.rows = rows;
        this.recompute = recompute;
        int d = s.dim();
        layers = new LayerActivations[s.nLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = recompute && l > 0 ? LayerActivations.sharing(s, rows, layers[0]) : new LayerActivations(s, rows);
        }
        finalResidual = new float[rows * d];
        finalNormOut = new float[rows * d];
        finalRstd = new float[rows];
        headLse = new float[rows];
        branch = new float[rows * d];
        dResidual = new float[rows * d];
        dNorm = new float[rows * d];
        dAttnOut = new float[rows * d];
        dq = new float[rows * d];
        dk = new float[rows * s.kvDim()];
        dv = new float[rows * s.kvDim()];
        dSwiglu = new float[rows * s.ffnDim()];
        dGate = new float[rows * s.ffnDim()];
        dUp = new float[rows * s.ffnDim()];
    }

    /**
     * Floats per token (row) that a forward/backward pass holds: the blocks' activations (all of
     * them, or with {@code recompute} every block's input plus one shared body), the head's
     * inputs, and the backward scratch arrays. Multiply by 4 for bytes.
     */
    static long floatsPerToken(ModelShape s, boolean recompute) {
        long d = s.dim();
        long kv = s.kvDim();
        long f = s.ffnDim();
        long blocks = recompute ? s.nLayers() * d + LayerActivations.bodyFloatsPerToken(s)
                : s.nLayers() * LayerActivations.floatsPerToken(s);
        long head = 3 * d + 2;               // finalResidual, finalNormOut, branch; finalRstd, headLse
        long scratch = 4 * d + 2 * kv + 3 * f;  // dResidual, dNorm, dAttnOut, dq; dk, dv; dSwiglu, dGate, dUp
        return blocks + head + scratch;
    }
}
