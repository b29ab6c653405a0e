package org.llama3j.model;

/**
 * Keys and values of every layer for the positions a sequence has processed so far, in F32.
 * Layout per layer: position-major, {@code kvDim} floats per position (all KV heads together).
 */
public final class KvCache {
    private final int capacity;
    private final int kvDim;
    private final float[][] keys;
    private final float[][] values;

    public KvCache(LlamaConfig config, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV cache capacity must be positive, got " + capacity);
        }
        long perLayer = (long) capacity * config.kvDim();
        if (perLayer > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("KV cache of " + capacity + " positions is too large for one layer");
        }
        this.capacity = capacity;
        this.kvDim = config.kvDim();
        this.keys = new float[config.layers()][(int) perLayer];
        this.values = new float[config.layers()][(int) perLayer];
    }

    /** Positions this cache can hold. */
    public int capacity() {
        return capacity;
    }

    public int kvDim() {
        return kvDim;
    }

    /** Keys of layer {@code layer}: position {@code p} starts at {@code p * kvDim()}. */
    public float[] keys(int layer) {
        return keys[layer];
    }

    /** Values of layer {@code layer}, laid out like {@link #keys}. */
    public float[] values(int layer) {
        return values[layer];
    }
}
