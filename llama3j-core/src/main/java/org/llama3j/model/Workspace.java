package org.llama3j.model;

import org.llama3j.kernel.Activations;

/**
 * Scratch buffers of one forward pass, grown to the largest batch seen so steady-state decoding
 * allocates nothing per token. A workspace serves one forward pass at a time: each sequence has
 * one for its own passes, and a scheduler batching many sequences owns another.
 */
public final class Workspace {
    int batch;
    float[] x, xb, xb2, q, k, v, att, hb, hb2;
    float[] ropeCos, ropeSin;
    final Activations act = new Activations();

    void ensure(LlamaConfig c, int tokens) {
        if (tokens <= batch) {
            return;
        }
        batch = tokens;
        x = new float[tokens * c.dim()];
        xb = new float[tokens * c.dim()];
        xb2 = new float[tokens * c.dim()];
        q = new float[tokens * c.qDim()];
        k = new float[tokens * c.kvDim()];
        v = new float[tokens * c.kvDim()];
        att = new float[tokens * c.qDim()];
        hb = new float[tokens * c.ffnDim()];
        hb2 = new float[tokens * c.ffnDim()];
        ropeCos = new float[tokens * c.headDim() / 2];
        ropeSin = new float[tokens * c.headDim() / 2];
    }
}
