package org.llama3j.train.model;

/** Activations of a whole forward pass for one batch size, plus backward scratch space. */
final class ActivationBuffers {
    final int rows;
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

    ActivationBuffers(ModelShape s, int rows) {
        this.rows = rows;
        int d = s.dim();
        layers = new LayerActivations[s.nLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new LayerActivations(s, rows);
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
}
