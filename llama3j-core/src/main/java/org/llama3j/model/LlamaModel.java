package org.llama3j.model;

import java.util.List;
import org.llama3j.StartupTrace;
import org.llama3j.kernel.Activations;
import org.llama3j.kernel.Attention;
import org.llama3j.kernel.Dequantize;
import org.llama3j.kernel.GgmlMath;
import org.llama3j.kernel.MatMuls;
import org.llama3j.kernel.Parallel;
import org.llama3j.kernel.VectorMath;
import org.llama3j.model.lora.LoraAdapter;
import org.llama3j.model.lora.LoraBase;
import org.llama3j.model.lora.LoraMatrices;
import org.llama3j.model.lora.Projection;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * The Llama 3 forward pass for inference: token embedding, {@code layers} blocks of
 * (RMSNorm → grouped-query attention with RoPE → residual, RMSNorm → SwiGLU MLP → residual),
 * final RMSNorm and the output head.
 *
 * <p>A forward pass takes a batch of tokens, each belonging to some sequence
 * ({@link InferenceState}) at that sequence's next position: a prompt chunk of one sequence
 * (prefill), or one token from each of many sequences (continuous batching). Every weight matrix
 * is read once per batch; attention and the KV cache are per sequence.
 *
 * <p>The numerics follow llama.cpp's CPU graph (RMSNorm accumulated in double; RoPE angles by
 * repeated float multiplication; activation rounding per weight type in {@link Activations}), so
 * logits agree with it to rounding noise.
 */
public final class LlamaModel {
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final float[][] attnNorm;
    private final float[][] ffnNorm;
    private final float[] outputNorm;
    private final LoraAdapter lora;
    private volatile DType kvType = DType.F32;
    private volatile boolean firstPassDone;
    private volatile boolean weightsPrepared;

    public LlamaModel(LlamaConfig config, LlamaWeights weights) {
        this(config, weights, null);
    }

    private LlamaModel(LlamaConfig config, LlamaWeights weights, LoraAdapter lora) {
        this.config = config;
        this.lora = lora;
        this.weights = weights;
        List<LayerWeights> layers = weights.layers();
        if (layers.size() != config.layers()) {
            throw new IllegalArgumentException("config says " + config.layers() + " layers, weights have " + layers.size());
        }
        attnNorm = new float[layers.size()][];
        ffnNorm = new float[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            attnNorm[l] = Dequantize.all(layers.get(l).attnNorm());
            ffnNorm[l] = Dequantize.all(layers.get(l).ffnNorm());
        }
        outputNorm = Dequantize.all(weights.outputNorm());
    }

    /**
     * Makes the kernels' own copies of the weight matrices now ({@link MatMuls#prepare}: Q4_0 and
     * Q8_0 on 512-bit vectors; once, however often it is called). A server calls it at load, before
     * its first request; otherwise it runs before the model's second forward pass: the first pass (the
     * first prompt) reads the file's layout, so the copy (0.6–1.3 s for a 1B model here) does not
     * delay the first token, and every pass after it runs on the copies, so results do not depend on
     * timing. Synchronized: one caller copies, any other waits for it.
     */
    public void prepareWeights() {
        if (weightsPrepared) {
            return;
        }
        synchronized (this) {
            if (!weightsPrepared) {
                for (LayerWeights lw : weights.layers()) {
                    for (Tensor t : lw.matrices()) {
                        MatMuls.prepare(t);
                    }
                }
                MatMuls.prepare(weights.output());
                weightsPrepared = true;
                StartupTrace.mark("kernels' weight copies made");
            }
        }
    }

    /** {@link #prepareWeights()} from the second forward pass on. */
    private void prepareWeightsAfterFirstPass() {
        if (weightsPrepared) {
            return;
        }
        if (!firstPassDone) {
            firstPassDone = true;
            return;
        }
        prepareWeights();
    }

    public LlamaConfig config() {
        return config;
    }

    /**
     * This model with a LoRA adapter applied as a low-rank side path, {@code y = W·x + (α/r)·B·(A·x)},
     * after each adapted projection: the base weights are used exactly as stored (a quantized base
     * keeps its kernels and numerics) and the adapter runs in FP32 on the projection's unrounded
     * input, as PEFT's {@code lora.Linear.forward} does. The weights are shared, not copied.
     */
    public LlamaModel withLora(LoraAdapter adapter) {
        adapter.requireBase(LoraBase.of(config));
        return new LlamaModel(config, weights, adapter);
    }

    /** The applied adapter, or null. */
    public LoraAdapter lora() {
        return lora;
    }

    public LlamaWeights weights() {
        return weights;
    }

    /** A fresh sequence state with room for {@code capacity} positions, its KV cache of {@link #kvType()}. */
    public InferenceState newState(int capacity) {
        return new InferenceState(config, capacity, kvType);
    }

    /** The KV cache element type of new states: F32 (default, llama.cpp's exact mode) or F16 (half the memory). */
    public DType kvType() {
        return kvType;
    }

    /** Sets the KV cache type of states created from now on (F32 or F16). */
    public void setKvType(DType type) {
        if (type != DType.F32 && type != DType.F16) {
            throw new IllegalArgumentException("KV cache type must be F32 or F16, got " + type);
        }
        this.kvType = type;
    }

    /**
     * Runs {@code count} tokens of one sequence at its next positions and returns the logits of the
     * tokens from {@code logitsFrom} on ({@code (count - logitsFrom) × vocabSize} floats,
     * token-major). {@code logitsFrom == count - 1} gives the last token's logits only.
     */
    public float[] forward(InferenceState s, int[] tokens, int count, int logitsFrom) {
        return forward(s, tokens, count, logitsFrom, null);
    }

    /**
     * As {@link #forward(InferenceState, int[], int, int)}, writing the logits into {@code logits}
     * (at least {@code (count - logitsFrom) × vocabSize} long) and returning it, so that a caller
     * running pass after pass (the server's scheduler) reuses one buffer instead of a fresh
     * vocabulary-sized array per pass; null allocates one.
     */
    public float[] forward(InferenceState s, int[] tokens, int count, int logitsFrom, float[] logits) {
        if (count <= 0 || count > tokens.length) {
            throw new IllegalArgumentException("token count " + count + " out of range");
        }
        if (s.position() + count > s.capacity()) {
            throw new ContextOverflowException(s.position() + count, s.capacity());
        }
        InferenceState[] seq = new InferenceState[count];
        int[] pos = new int[count];
        for (int t = 0; t < count; t++) {
            seq[t] = s;
            pos[t] = s.position() + t;
        }
        float[] out = run(s.workspace, seq, pos, tokens, count, logitsFrom, logits);
        s.advance(count);
        return out;
    }

    /**
     * One decoding step for many sequences at once: token {@code tokens[i]} goes at the next
     * position of {@code states[i]}. Returns {@code states.length × vocabSize} logits.
     * The states must be distinct.
     */
    public float[] decode(Workspace workspace, InferenceState[] states, int[] tokens) {
        return decode(workspace, states, states.length, tokens, null);
    }

    /**
     * As {@link #decode(Workspace, InferenceState[], int[])} for the first {@code n} states and
     * tokens, writing the logits into {@code logits} (at least {@code n × vocabSize} long; null
     * allocates one) and returning it. A scheduler that keeps its arrays and logits buffer across
     * steps allocates nothing here per step: at 8 sequences and a 128k vocabulary a fresh logits
     * array would be 4 MB of garbage per step.
     */
    public float[] decode(Workspace workspace, InferenceState[] states, int n, int[] tokens, float[] logits) {
        if (n <= 0 || n > states.length || n > tokens.length) {
            throw new IllegalArgumentException("batch of " + n + " out of range");
        }
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (states[j] == states[i]) {
                    throw new IllegalArgumentException("a sequence appears twice in one decode step");
                }
            }
            if (states[i].position() + 1 > states[i].capacity()) {
                throw new ContextOverflowException(states[i].position() + 1, states[i].capacity());
            }
            pos[i] = states[i].position();
        }
        float[] out = run(workspace, states, pos, tokens, n, 0, logits);
        for (int i = 0; i < n; i++) {
            states[i].advance(1);
        }
        return out;
    }

    /**
     * Runs {@code count} tokens of one sequence at its next positions, like {@link #forward}, and returns their final
     * hidden states after the output RMSNorm ({@code count × dim} floats, token-major) instead of logits: the
     * representation text embeddings pool over (e.g. mean pooling for semantic dedup).
     */
    public float[] hiddenStates(InferenceState s, int[] tokens, int count) {
        if (count <= 0 || count > tokens.length) {
            throw new IllegalArgumentException("token count " + count + " out of range");
        }
        if (s.position() + count > s.capacity()) {
            throw new ContextOverflowException(s.position() + count, s.capacity());
        }
        InferenceState[] seq = new InferenceState[count];
        int[] pos = new int[count];
        for (int t = 0; t < count; t++) {
            seq[t] = s;
            pos[t] = s.position() + t;
        }
        runLayers(s.workspace, seq, pos, tokens, count);
        s.advance(count);
        int dim = config.dim();
        float[] out = new float[count * dim];
        rmsNorm(s.workspace.x, outputNorm, out, count, dim, config.normEps());
        return out;
    }

    private float[] run(Workspace w, InferenceState[] seq, int[] pos, int[] tokens, int count, int logitsFrom,
                        float[] logits) {
        if (logitsFrom < 0 || logitsFrom > count) {
            throw new IllegalArgumentException("logitsFrom " + logitsFrom + " out of range for " + count + " tokens");
        }
        int size = (count - logitsFrom) * config.vocabSize();
        if (logits == null) {
            logits = new float[size];
        } else if (logits.length < size) {
            throw new IllegalArgumentException("logits buffer of " + logits.length + " floats, " + size + " needed");
        }
        runLayers(w, seq, pos, tokens, count);
        outputHead(w, count, logitsFrom, logits);
        return logits;
    }

    /** Embeds the tokens and runs every transformer block; the residual stream is left in {@code w.x}. */
    private void runLayers(Workspace w, InferenceState[] seq, int[] pos, int[] tokens, int count) {
        LlamaConfig c = config;
        for (int t = 0; t < count; t++) {
            if (tokens[t] < 0 || tokens[t] >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[t] + " outside vocabulary of " + c.vocabSize());
            }
        }
        prepareWeightsAfterFirstPass();
        w.ensure(c, count);
        int dim = c.dim();
        for (int t = 0; t < count; t++) {
            Dequantize.row(weights.tokenEmbedding(), tokens[t], w.x, t * dim);
        }
        ropeTables(w, pos, count);
        for (int l = 0; l < c.layers(); l++) {
            attentionBlock(w, l, seq, pos, count);
            mlpBlock(w, l, count);
        }
    }

    private void attentionBlock(Workspace w, int l, InferenceState[] seq, int[] pos, int count) {
        LlamaConfig c = config;
        LayerWeights lw = weights.layers().get(l);
        int dim = c.dim();
        rmsNorm(w.x, attnNorm[l], w.xb, count, dim, c.normEps());
        Activations in = w.act.set(w.xb, count, dim);
        MatMuls.multiplyEach(in, new Tensor[] {lw.wq(), lw.wk(), lw.wv()}, new float[][] {w.q, w.k, w.v});
        lora(l, Projection.Q, w.xb, count, w.q);
        lora(l, Projection.K, w.xb, count, w.k);
        lora(l, Projection.V, w.xb, count, w.v);
        rope(w, w.q, count, c.heads());
        rope(w, w.k, count, c.kvHeads());
        int kvDim = c.kvDim();
        for (int t = 0; t < count; t++) {
            seq[t].cache.store(l, pos[t], w.k, t * kvDim, w.v, t * kvDim);
        }
        attention(w, l, seq, pos, count);
        MatMuls.multiply(lw.wo(), w.act.set(w.att, count, c.qDim()), w.xb2);
        lora(l, Projection.O, w.att, count, w.xb2);
        add(w.x, w.xb2, count * dim);
    }

    private void mlpBlock(Workspace w, int l, int count) {
        LlamaConfig c = config;
        LayerWeights lw = weights.layers().get(l);
        int dim = c.dim();
        rmsNorm(w.x, ffnNorm[l], w.xb, count, dim, c.normEps());
        Activations in = w.act.set(w.xb, count, dim);
        MatMuls.multiplyEach(in, new Tensor[] {lw.wGate(), lw.wUp()}, new float[][] {w.hb, w.hb2});
        lora(l, Projection.GATE, w.xb, count, w.hb);
        lora(l, Projection.UP, w.xb, count, w.hb2);
        int ffn = c.ffnDim();
        // split by elements, not tokens: a decode step's one row of 8,192 took 2.7% of it on one thread
        Parallel.forRange(count * ffn, 1024, (from, to) -> GgmlMath.swiGlu(w.hb, w.hb2, 1, from, to));
        MatMuls.multiply(lw.wDown(), w.act.set(w.hb, count, c.ffnDim()), w.xb2);
        lora(l, Projection.DOWN, w.hb, count, w.xb2);
        add(w.x, w.xb2, count * dim);
    }

    /** Adds the adapter's side path of projection {@code p} to {@code y}, parallel over tokens. */
    private void lora(int l, Projection p, float[] x, int count, float[] y) {
        LoraMatrices m = lora == null ? null : lora.get(l, p);
        if (m == null) {
            return;
        }
        float scale = lora.config().scale();
        Parallel.forRange(count, 4, (from, to) -> {
            float[] u = new float[m.rank()];
            for (int t = from; t < to; t++) {
                m.apply(x, t * m.in(), y, t * m.out(), scale, u);
            }
        });
    }

    private void outputHead(Workspace w, int count, int logitsFrom, float[] logits) {
        LlamaConfig c = config;
        int n = count - logitsFrom;
        if (n == 0) {
            return;
        }
        int dim = c.dim();
        // normalise in place: the residual stream is not needed after the last layer
        if (logitsFrom > 0) {
            System.arraycopy(w.x, logitsFrom * dim, w.x, 0, n * dim);
        }
        rmsNorm(w.x, outputNorm, w.xb, n, dim, c.normEps());
        MatMuls.multiply(weights.output(), w.act.set(w.xb, n, dim), logits);
    }

    /** {@code out = x / rms(x) * weight} per token; sum of squares in double as ggml does. */
    static void rmsNorm(float[] x, float[] weight, float[] out, int tokens, int dim, float eps) {
        for (int t = 0; t < tokens; t++) {
            int o = t * dim;
            double sum = 0;
            for (int i = 0; i < dim; i++) {
                float v = x[o + i];
                sum += v * v;
            }
            float mean = (float) (sum / dim);
            float scale = 1.0f / (float) Math.sqrt(mean + eps);
            for (int i = 0; i < dim; i++) {
                out[o + i] = (x[o + i] * scale) * weight[i];
            }
        }
    }

    /**
     * Cosines and sines of every rotary angle for the batch's positions: angle i at position p is
     * {@code p · θ^(-2i/headDim) / divisor[i]}, with the power built by repeated float
     * multiplication as ggml's {@code ggml_rope_cache_init} does.
     */
    private void ropeTables(Workspace w, int[] pos, int count) {
        int half = config.headDim() / 2;
        float thetaScale = (float) Math.pow(config.ropeTheta(), -2.0 / config.headDim());
        float[] div = config.ropeFrequencyDivisors();
        for (int t = 0; t < count; t++) {
            float theta = pos[t];
            for (int i = 0; i < half; i++) {
                float angle = theta / div[i];
                w.ropeCos[t * half + i] = (float) Math.cos(angle);
                w.ropeSin[t * half + i] = (float) Math.sin(angle);
                theta *= thetaScale;
            }
        }
    }

    /** Rotates adjacent pairs (2i, 2i+1) of every head: the Meta/GGUF ("normal") RoPE layout. */
    private void rope(Workspace w, float[] vec, int count, int nHeads) {
        int hd = config.headDim();
        int half = hd / 2;
        for (int t = 0; t < count; t++) {
            for (int h = 0; h < nHeads; h++) {
                int base = (t * nHeads + h) * hd;
                for (int i = 0; i < half; i++) {
                    float cos = w.ropeCos[t * half + i];
                    float sin = w.ropeSin[t * half + i];
                    float x0 = vec[base + 2 * i];
                    float x1 = vec[base + 2 * i + 1];
                    vec[base + 2 * i] = x0 * cos - x1 * sin;
                    vec[base + 2 * i + 1] = x0 * sin + x1 * cos;
                }
            }
        }
    }

    /** Causal grouped-query attention of each token over its own sequence's cached positions, parallel over (token, KV head). */
    private void attention(Workspace w, int l, InferenceState[] seq, int[] pos, int count) {
        LlamaConfig c = config;
        int hd = c.headDim();
        int heads = c.heads();
        int kvHeads = c.kvHeads();
        int group = heads / kvHeads;
        int kvDim = c.kvDim();
        float scale = (float) (1.0 / Math.sqrt(hd));
        // KV-head-major jobs: consecutive jobs read the same head's keys and values, which then stay in
        // L2 (a prefill's heads together are about twice its size)
        Parallel.forRange(count * kvHeads, 1, (from, to) -> {
            for (int job = from; job < to; job++) {
                int t = job % count;
                int kh = job / count;
                int qOff = (t * heads + kh * group) * hd;
                KvCache cache = seq[t].cache;
                if (cache.type() == DType.F16) {
                    Attention.groupAttendF16(w.q, qOff, group, hd, cache.keysF16(l), cache.valuesF16(l),
                            kvDim, kh * hd, pos[t] + 1, scale, w.att, qOff);
                } else {
                    Attention.groupAttend(w.q, qOff, group, hd, cache.keys(l), cache.values(l),
                            kvDim, kh * hd, pos[t] + 1, scale, w.att, qOff);
                }
            }
        });
    }

    private static void add(float[] x, float[] y, int n) {
        VectorMath.axpy(1f, y, 0, x, 0, n);
    }
}
