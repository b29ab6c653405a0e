package org.llama3j.model;

/**
 * One sequence's state: its KV cache and how many positions are filled, plus the scratch
 * {@link Workspace} its single-sequence forward passes reuse.
 */
public final class InferenceState {
    final KvCache cache;
    private int position;

    final Workspace workspace = new Workspace();

    public InferenceState(LlamaConfig config, int capacity) {
        this(config, capacity, org.llama3j.tensor.DType.F32);
    }

    /** A state whose KV cache holds {@code kvType} (F32 or F16) elements. */
    public InferenceState(LlamaConfig config, int capacity, org.llama3j.tensor.DType kvType) {
        this.cache = new KvCache(config, capacity, kvType);
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
}
