package org.llama3j.model;

import org.llama3j.kernel.Attention;
import org.llama3j.tensor.DType;

/**
 * Keys and values of every layer for the positions a sequence has processed so far, in F32 (the
 * default, llama.cpp's exact mode) or F16 (llama.cpp's default {@code -ctk f16 -ctv f16}: half
 * the memory, values rounded to half precision on the way in).
 * Layout per layer, F32: in blocks of {@link Attention#KEY_BLOCK} positions, keys transposed
 * ({@link Attention#keyIndex}) and each KV head's values together ({@link Attention#valueIndex}), the layouts
 * the attention kernel reads; F16: position-major, {@code kvDim} elements per position (all KV heads together).
 */
public final class KvCache {
    private final int capacity;
    private final int kvDim;
    private final int headDim;
    private final DType type;
    private final float[][] keys;
    private final float[][] values;
    private final short[][] keysF16;
    private final short[][] valuesF16;

    public KvCache(LlamaConfig config, int capacity) {
        this(config, capacity, DType.F32);
    }

    public KvCache(LlamaConfig config, int capacity, DType type) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV cache capacity must be positive, got " + capacity);
        }
        if (type != DType.F32 && type != DType.F16) {
            throw new IllegalArgumentException("KV cache type must be F32 or F16, got " + type);
        }
        // whole key blocks, so the last block's vector loads stay inside the array
        long perLayer = ((long) capacity + Attention.KEY_BLOCK - 1) / Attention.KEY_BLOCK * Attention.KEY_BLOCK
                * config.kvDim();
        if (perLayer > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("KV cache of " + capacity + " positions is too large for one layer");
        }
        this.capacity = capacity;
        this.kvDim = config.kvDim();
        this.headDim = config.headDim();
        this.type = type;
        int layers = config.layers();
        boolean f32 = type == DType.F32;
        this.keys = f32 ? new float[layers][(int) perLayer] : null;
        this.values = f32 ? new float[layers][(int) perLayer] : null;
        this.keysF16 = f32 ? null : new short[layers][(int) perLayer];
        this.valuesF16 = f32 ? null : new short[layers][(int) perLayer];
    }

    /** Positions this cache can hold. */
    public int capacity() {
        return capacity;
    }

    public int kvDim() {
        return kvDim;
    }

    /** F32 or F16. */
    public DType type() {
        return type;
    }

    /** Stores the key and value vectors ({@code kvDim} each) of position {@code pos} of layer {@code layer}. */
    public void store(int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        int o = pos * kvDim;
        if (type == DType.F32) {
            float[] kt = keys[layer];
            for (int i = 0, at = Attention.keyIndex(pos, kvDim, 0); i < kvDim; i++, at += Attention.KEY_BLOCK) {
                kt[at] = k[kOff + i];
            }
            for (int h = 0; h < kvDim / headDim; h++) {
                System.arraycopy(v, vOff + h * headDim, values[layer], Attention.valueIndex(pos, kvDim, headDim, h), headDim);
            }
        } else {
            short[] kh = keysF16[layer], vh = valuesF16[layer];
            for (int i = 0; i < kvDim; i++) {
                kh[o + i] = Float.floatToFloat16(k[kOff + i]);
                vh[o + i] = Float.floatToFloat16(v[vOff + i]);
            }
        }
    }

    /** Keys of layer {@code layer} of an F32 cache: element {@code e} of position {@code p} at {@link Attention#keyIndex}. */
    public float[] keys(int layer) {
        return keys[layer];
    }

    /** Values of layer {@code layer} of an F32 cache: head {@code h} of position {@code p} at {@link Attention#valueIndex}. */
    public float[] values(int layer) {
        return values[layer];
    }

    /** Keys of layer {@code layer} of an F16 cache (half bit patterns): position {@code p} starts at {@code p * kvDim()}. */
    public short[] keysF16(int layer) {
        return keysF16[layer];
    }

    /** Values of layer {@code layer} of an F16 cache, position-major. */
    public short[] valuesF16(int layer) {
        return valuesF16[layer];
    }
}
