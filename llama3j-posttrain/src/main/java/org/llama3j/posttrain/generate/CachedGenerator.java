package org.llama3j.posttrain.generate;

import java.util.ArrayList;
import java.util.List;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LayerWeights;
import org.llama3j.model.LlamaConfig;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.LlamaWeights;
import org.llama3j.model.RopeScaling;
import org.llama3j.model.Workspace;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.ParameterView;

/**
 * Samples with a KV cache: core's inference {@link LlamaModel} over an FP32 snapshot of the training
 * weights (copied when the generator is made, so build a new one after the weights change, e.g. once per
 * PPO rollout). Each of the n rows is a sequence with its own KV cache: the prompt is prefilled once per
 * row, then every step decodes one token of each unfinished row in one batched pass — O(T) per token
 * instead of {@link TinyGenerator}'s O(T²) recomputation of the whole prefix. Core's kernels sum in
 * another order than the training layers, so logits differ by float rounding (~1e-6 relative) and the
 * sampling loop ({@link ReplySampler}) is shared, so the same seed draws the same replies.
 */
public final class CachedGenerator extends ReplySampler {

    private final LlamaModel model;
    private final Workspace workspace = new Workspace();
    private InferenceState[] states;

    public CachedGenerator(LlamaParameters params, ChatEncoder encoder) {
        super(encoder);
        this.model = inferenceModel(params);
    }

    /** Core's inference model over a copy of {@code params} (FP32 tensors under their GGUF names and layout). */
    public static LlamaModel inferenceModel(LlamaParameters params) {
        ModelShape s = params.shape();
        float[] divisors = s.ropeScaling().map(r -> new RopeScaling(r.factor(), r.lowFreqFactor(), r.highFreqFactor(),
                r.originalContext()).frequencyDivisors(s.headDim(), s.ropeTheta())).orElse(null);
        LlamaConfig config = new LlamaConfig(s.dim(), s.nLayers(), s.nHeads(), s.nKvHeads(), s.headDim(), s.ffnDim(),
                s.vocabSize(), s.maxSeqLen(), s.normEps(), (float) s.ropeTheta(), divisors, s.tiedEmbeddings());
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < s.nLayers(); l++) {
            String b = "blk." + l + ".";
            layers.add(new LayerWeights(tensor(params, b + "attn_norm.weight"), tensor(params, b + "attn_q.weight"),
                    tensor(params, b + "attn_k.weight"), tensor(params, b + "attn_v.weight"),
                    tensor(params, b + "attn_output.weight"), tensor(params, b + "ffn_norm.weight"),
                    tensor(params, b + "ffn_gate.weight"), tensor(params, b + "ffn_up.weight"),
                    tensor(params, b + "ffn_down.weight")));
        }
        Tensor embedding = tensor(params, "token_embd.weight");
        Tensor output = s.tiedEmbeddings() ? embedding : tensor(params, "output.weight");
        return new LlamaModel(config, new LlamaWeights(embedding, layers, tensor(params, "output_norm.weight"), output));
    }

    /** One parameter as an FP32 tensor; ggml lists dimensions innermost first ({@code [out][in]} is {@code {in, out}}). */
    private static Tensor tensor(LlamaParameters params, String name) {
        ParameterView v = params.view(name);
        int[] shape = v.shape();
        long[] ggml = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ggml[i] = shape[shape.length - 1 - i];
        }
        return new Tensor(name, DType.F32, ggml, BlockCodecs.quantize(params.copyOf(name), DType.F32));
    }

    @Override
    protected int contextLength() {
        return model.config().contextLength();
    }

    @Override
    protected void begin() {
        states = null;
    }

    @Override
    protected float[][] nextLogits(int[][] seqs, int len, boolean[] done) {
        int n = seqs.length;
        float[][] out = new float[n][];
        if (states == null) {
            // a new prompt: prefill it into every row's cache (capacity: the context)
            states = new InferenceState[n];
            for (int r = 0; r < n; r++) {
                states[r] = model.newState(contextLength());
                out[r] = model.forward(states[r], seqs[r], len, len - 1);
            }
            return out;
        }
        List<Integer> active = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (!done[r]) {
                active.add(r);
            }
        }
        InferenceState[] step = new InferenceState[active.size()];
        int[] tokens = new int[active.size()];
        for (int i = 0; i < step.length; i++) {
            int r = active.get(i);
            step[i] = states[r];
            tokens[i] = seqs[r][len - 1];
        }
        float[] logits = model.decode(workspace, step, tokens);
        int vocab = model.config().vocabSize();
        for (int i = 0; i < step.length; i++) {
            out[active.get(i)] = java.util.Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab);
        }
        return out;
    }
}
