package org.llama3j.model;

import java.util.List;
import org.llama3j.kernel.Activations;
import org.llama3j.kernel.Dequantize;
import org.llama3j.kernel.MatMuls;
import org.llama3j.kernel.Parallel;
import org.llama3j.kernel.VectorMath;

/**
 * The Llama 3 forward pass for inference: token embedding, {@code layers} blocks of
 * (RMSNorm → grouped-query attention with RoPE → residual, RMSNorm → SwiGLU MLP → residual),
 * final RMSNorm and the output head. A batch of tokens (a prompt chunk, or one token when
 * decoding) goes through each weight matrix once, so prefill reuses every weight row.
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

    public LlamaModel(LlamaConfig config, LlamaWeights weights) {
        this.config = config;
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

    public LlamaConfig config() {
        return config;
    }

    public LlamaWeights weights() {
        return weights;
    }

    /** A fresh sequence state with room for {@code capacity} positions. */
    public InferenceState newState(int capacity) {
        return new InferenceState(config, capacity);
    }

    /**
     * Runs {@code count} tokens through the model at the state's next positions and returns the
     * logits of the tokens from {@code logitsFrom} on ({@code (count - logitsFrom) × vocabSize}
     * floats, token-major). {@code logitsFrom == count - 1} gives the last token's logits only.
     */
    public float[] forward(InferenceState s, int[] tokens, int count, int logitsFrom) {
        LlamaConfig c = config;
        if (count <= 0 || count > tokens.length) {
            throw new IllegalArgumentException("token count " + count + " out of range");
        }
        if (logitsFrom < 0 || logitsFrom > count) {
            throw new IllegalArgumentException("logitsFrom " + logitsFrom + " out of range for " + count + " tokens");
        }
        int start = s.position();
        if (start + count > s.capacity()) {
            throw new ContextOverflowException(start + count, s.capacity());
        }
        for (int t = 0; t < count; t++) {
            if (tokens[t] < 0 || tokens[t] >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[t] + " outside vocabulary of " + c.vocabSize());
            }
        }
        s.ensureBatch(c, count);
        int dim = c.dim();
        for (int t = 0; t < count; t++) {
            Dequantize.row(weights.tokenEmbedding(), tokens[t], s.x, t * dim);
        }
        ropeTables(s, start, count);
        for (int l = 0; l < c.layers(); l++) {
            attentionBlock(s, l, start, count);
            mlpBlock(s, l, count);
        }
        s.advance(count);
        return outputHead(s, count, logitsFrom);
    }

    private void attentionBlock(InferenceState s, int l, int start, int count) {
        LlamaConfig c = config;
        LayerWeights w = weights.layers().get(l);
        int dim = c.dim();
        rmsNorm(s.x, attnNorm[l], s.xb, count, dim, c.normEps());
        Activations in = s.act.set(s.xb, count, dim);
        MatMuls.multiply(w.wq(), in, s.q);
        MatMuls.multiply(w.wk(), in, s.k);
        MatMuls.multiply(w.wv(), in, s.v);
        rope(s, s.q, count, c.heads());
        rope(s, s.k, count, c.kvHeads());
        int kvDim = c.kvDim();
        System.arraycopy(s.k, 0, s.cache.keys(l), start * kvDim, count * kvDim);
        System.arraycopy(s.v, 0, s.cache.values(l), start * kvDim, count * kvDim);
        attention(s, l, start, count);
        MatMuls.multiply(w.wo(), s.act.set(s.att, count, c.qDim()), s.xb2);
        add(s.x, s.xb2, count * dim);
    }

    private void mlpBlock(InferenceState s, int l, int count) {
        LlamaConfig c = config;
        LayerWeights w = weights.layers().get(l);
        int dim = c.dim();
        rmsNorm(s.x, ffnNorm[l], s.xb, count, dim, c.normEps());
        Activations in = s.act.set(s.xb, count, dim);
        MatMuls.multiply(w.wGate(), in, s.hb);
        MatMuls.multiply(w.wUp(), in, s.hb2);
        swiGlu(s.hb, s.hb2, count * c.ffnDim());
        MatMuls.multiply(w.wDown(), s.act.set(s.hb, count, c.ffnDim()), s.xb2);
        add(s.x, s.xb2, count * dim);
    }

    private float[] outputHead(InferenceState s, int count, int logitsFrom) {
        LlamaConfig c = config;
        int n = count - logitsFrom;
        float[] logits = new float[n * c.vocabSize()];
        if (n == 0) {
            return logits;
        }
        int dim = c.dim();
        float[] last = new float[n * dim];
        rmsNorm(java.util.Arrays.copyOfRange(s.x, logitsFrom * dim, count * dim), outputNorm, last, n, dim, c.normEps());
        MatMuls.multiply(weights.output(), new Activations().set(last, n, dim), logits);
        return logits;
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
    private void ropeTables(InferenceState s, int start, int count) {
        int half = config.headDim() / 2;
        float thetaScale = (float) Math.pow(config.ropeTheta(), -2.0 / config.headDim());
        float[] div = config.ropeFrequencyDivisors();
        for (int t = 0; t < count; t++) {
            float theta = start + t;
            for (int i = 0; i < half; i++) {
                float angle = theta / div[i];
                s.ropeCos[t * half + i] = (float) Math.cos(angle);
                s.ropeSin[t * half + i] = (float) Math.sin(angle);
                theta *= thetaScale;
            }
        }
    }

    /** Rotates adjacent pairs (2i, 2i+1) of every head: the Meta/GGUF ("normal") RoPE layout. */
    private void rope(InferenceState s, float[] vec, int count, int nHeads) {
        int hd = config.headDim();
        int half = hd / 2;
        for (int t = 0; t < count; t++) {
            for (int h = 0; h < nHeads; h++) {
                int base = (t * nHeads + h) * hd;
                for (int i = 0; i < half; i++) {
                    float cos = s.ropeCos[t * half + i];
                    float sin = s.ropeSin[t * half + i];
                    float x0 = vec[base + 2 * i];
                    float x1 = vec[base + 2 * i + 1];
                    vec[base + 2 * i] = x0 * cos - x1 * sin;
                    vec[base + 2 * i + 1] = x0 * sin + x1 * cos;
                }
            }
        }
    }

    /** Causal grouped-query attention of the batch's queries over all cached positions. */
    private void attention(InferenceState s, int l, int start, int count) {
        LlamaConfig c = config;
        int hd = c.headDim();
        int heads = c.heads();
        int group = heads / c.kvHeads();
        int kvDim = c.kvDim();
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] keys = s.cache.keys(l);
        float[] values = s.cache.values(l);
        Parallel.forRange(count * heads, 1, (from, to) -> {
            float[] scores = new float[start + count];
            for (int job = from; job < to; job++) {
                int t = job / heads;
                int h = job % heads;
                int kvOff = (h / group) * hd;
                int qOff = (t * heads + h) * hd;
                int len = start + t + 1;
                float max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < len; p++) {
                    float sc = VectorMath.dot(s.q, qOff, keys, p * kvDim + kvOff, hd) * scale;
                    scores[p] = sc;
                    max = Math.max(max, sc);
                }
                double sum = 0;
                for (int p = 0; p < len; p++) {
                    float e = (float) Math.exp(scores[p] - max);
                    scores[p] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                java.util.Arrays.fill(s.att, qOff, qOff + hd, 0f);
                for (int p = 0; p < len; p++) {
                    VectorMath.axpy(scores[p] * inv, values, p * kvDim + kvOff, s.att, qOff, hd);
                }
            }
        });
    }

    /** {@code gate = silu(gate) * up}, silu(x) = x / (1 + e^-x). */
    static void swiGlu(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[i];
            gate[i] = g / (1.0f + (float) Math.exp(-g)) * up[i];
        }
    }

    private static void add(float[] x, float[] y, int n) {
        VectorMath.axpy(1f, y, 0, x, 0, n);
    }
}
