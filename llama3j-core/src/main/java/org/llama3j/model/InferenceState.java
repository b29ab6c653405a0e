package org.llama3j.model;

import org.llama3j.kernel.Activations;

/**
 * One sequence's state: its KV cache, how many positions are filled, and the scratch buffers the
 * forward pass reuses (grown to the largest batch seen, so decode allocates nothing per token).
 */
public final class InferenceState {
    final KvCache cache;
    private int position;

    // Scratch, sized for `batch` tokens.
    int batch;
    float[] x, xb, xb2, q, k, v, att, hb, hb2, logits;
    float[] ropeCos, ropeSin;
    final Activations act = new Activations();

    public InferenceState(LlamaConfig config, int capacity) {
        this.cache = new KvCache(config, capacity);
    }

    /** Positions already processed (the next token goes at this position). */
    public int position() {
        return position;
    }

    public int capacity() {
        return cache.capacity();
    }

    /** Forgets positions from {@code p} on (e.g. to reuse a shared prompt prefix); {@code 0} resets. */
    public void truncate(int p) {
        if (p < 0 || p > position) {
            throw new IllegalArgumentException("cannot truncate to " + p + " with " + position + " positions filled");
        }
        position = p;
    }

    void advance(int n) {
        position += n;
    }

    void ensureBatch(LlamaConfig c, int tokens) {
        if (tokens <= batch) {
            return;
        }
        batch = tokens;
        x = new float[tokens * c.dim()];
        xb = new float[tokens * Math.max(c.dim(), c.qDim())];
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
