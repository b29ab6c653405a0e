package org.llama3j.train.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * All weights of a Llama model in one flat FP32 array (the master copy the optimizer updates)
 * with a gradient array of the same layout, and a named view per tensor. Names are GGUF's
 * ({@code llama.cpp} {@code LLM_TENSOR_NAMES} for {@code LLM_ARCH_LLAMA}) so a checkpoint can be
 * exported tensor by tensor: {@code token_embd.weight}, {@code blk.N.attn_norm.weight},
 * {@code blk.N.attn_q/k/v/output.weight}, {@code blk.N.ffn_norm.weight},
 * {@code blk.N.ffn_gate.weight} (w1), {@code blk.N.ffn_up.weight} (w3),
 * {@code blk.N.ffn_down.weight} (w2), {@code output_norm.weight}, {@code output.weight} (absent
 * when embeddings are tied, as in GGUF). Q and K rows are in Meta's interleaved RoPE order, which
 * is also GGUF's, so no permutation is needed on export.
 */
public final class LlamaParameters implements TrainableParameters {

    private final ModelShape shape;
    private final Map<String, ParameterView> views;
    private final LayerOffsets[] layers;
    private final int tokenEmbd;
    private final int outputNorm;
    private final int output;
    private final float[] values;
    private final float[] grads;

    public LlamaParameters(ModelShape shape) {
        this(shape, null);
    }

    /**
     * A replica for a data-parallel worker: the same weight array as {@code master} (not a copy)
     * and its own gradient array, so each worker accumulates gradients privately.
     */
    public LlamaParameters replica() {
        return new LlamaParameters(shape, values, true);
    }

    /**
     * A frozen view for adapter training (LoRA): the same weight array (not a copy) and no gradient
     * array at all ({@link #grads()} is null), so the base costs 4 bytes per weight and nothing more;
     * {@link LlamaTrainingModel} skips every base-weight gradient of such parameters.
     */
    public LlamaParameters frozen() {
        return new LlamaParameters(shape, values, false);
    }

    /** Parameters that never get gradients (a frozen base to train adapters on), initialised like {@code new}. */
    public static LlamaParameters withoutGradients(ModelShape shape) {
        return new LlamaParameters(shape, null, false);
    }

    /** Whether this view has no gradients ({@link #frozen()}). */
    public boolean isFrozen() {
        return grads == null;
    }

    private LlamaParameters(ModelShape shape, float[] sharedValues) {
        this(shape, sharedValues, true);
    }

    private LlamaParameters(ModelShape shape, float[] sharedValues, boolean withGrads) {
        this.shape = shape;
        Map<String, ParameterView> map = new LinkedHashMap<>();
        long[] cursor = {0};
        int d = shape.dim();
        this.tokenEmbd = add(map, cursor, "token_embd.weight", shape.vocabSize(), d);
        this.layers = new LayerOffsets[shape.nLayers()];
        for (int l = 0; l < shape.nLayers(); l++) {
            String p = "blk." + l + ".";
            layers[l] = new LayerOffsets(
                    add(map, cursor, p + "attn_norm.weight", d),
                    add(map, cursor, p + "attn_q.weight", d, d),
                    add(map, cursor, p + "attn_k.weight", shape.kvDim(), d),
                    add(map, cursor, p + "attn_v.weight", shape.kvDim(), d),
                    add(map, cursor, p + "attn_output.weight", d, d),
                    add(map, cursor, p + "ffn_norm.weight", d),
                    add(map, cursor, p + "ffn_gate.weight", shape.ffnDim(), d),
                    add(map, cursor, p + "ffn_up.weight", shape.ffnDim(), d),
                    add(map, cursor, p + "ffn_down.weight", d, shape.ffnDim()));
        }
        this.outputNorm = add(map, cursor, "output_norm.weight", d);
        this.output = shape.tiedEmbeddings() ? tokenEmbd : add(map, cursor, "output.weight", shape.vocabSize(), d);
        this.views = Collections.unmodifiableMap(map);
        this.grads = withGrads ? new float[(int) cursor[0]] : null;
        if (sharedValues != null) {
            this.values = sharedValues;
            return;
        }
        this.values = new float[(int) cursor[0]];
        for (ParameterView v : views.values()) {
            if (!v.isMatrix()) {
                Arrays.fill(values, v.offset(), v.offset() + v.size(), 1f);
            }
        }
    }

    private static int add(Map<String, ParameterView> map, long[] cursor, String name, int... shape) {
        long size = 1;
        for (int s : shape) {
            size *= s;
        }
        // Java arrays index with int; a model this large needs sharded storage, not silent overflow.
        if (cursor[0] + size > Integer.MAX_VALUE - 16) {
            throw new InvalidModelShapeException("model has more than 2^31 parameters at tensor " + name
                    + "; flat float[] storage cannot hold it");
        }
        int offset = (int) cursor[0];
        map.put(name, new ParameterView(name, offset, shape));
        cursor[0] += size;
        return offset;
    }

    /**
     * Fills the matrices with N(0, std²) from {@code seed} and the norm weights with 1, the
     * initialisation of torchtitan's Llama ({@code init_weights}: normal with std 0.02; a
     * truncated normal there, a plain one here).
     */
    public void initialize(long seed, double std) {
        SplittableRandom random = new SplittableRandom(seed);
        for (ParameterView v : views.values()) {
            for (int i = v.offset(); i < v.offset() + v.size(); i++) {
                values[i] = v.isMatrix() ? (float) (random.nextGaussian() * std) : 1f;
            }
        }
    }

    public ModelShape shape() {
        return shape;
    }

    /** The master weights, laid out as {@link #views()} describes. */
    @Override
    public float[] values() {
        return values;
    }

    /** Gradients, same layout as {@link #values()}; null for a {@link #frozen()} view. */
    @Override
    public float[] grads() {
        return grads;
    }

    @Override
    public void zeroGrads() {
        if (grads != null) {
            Arrays.fill(grads, 0f);
        }
    }

    @Override
    public int size() {
        return values.length;
    }

    /** Tensors in storage order. */
    @Override
    public List<ParameterView> views() {
        return new ArrayList<>(views.values());
    }

    public ParameterView view(String name) {
        ParameterView v = views.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; known: " + views.keySet());
        }
        return v;
    }

    /** A copy of one tensor's weights. */
    public float[] copyOf(String name) {
        ParameterView v = view(name);
        return Arrays.copyOfRange(values, v.offset(), v.offset() + v.size());
    }

    /** A copy of one tensor's gradient. */
    public float[] gradOf(String name) {
        ParameterView v = view(name);
        return Arrays.copyOfRange(grads, v.offset(), v.offset() + v.size());
    }

    /** Overwrites one tensor's weights; the length must match. */
    public void set(String name, float[] data) {
        ParameterView v = view(name);
        if (data.length != v.size()) {
            throw new IllegalArgumentException("parameter " + name + " has " + v.size()
                    + " elements, got " + data.length);
        }
        System.arraycopy(data, 0, values, v.offset(), data.length);
    }

    public LayerOffsets layer(int l) {
        return layers[l];
    }

    public int tokenEmbdOffset() {
        return tokenEmbd;
    }

    public int outputNormOffset() {
        return outputNorm;
    }

    /** Offset of the output projection; equals {@link #tokenEmbdOffset()} when tied. */
    public int outputOffset() {
        return output;
    }
}
