package org.llama3j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufMetadata;
import org.llama3j.kernel.Dequantize;
import org.llama3j.kernel.MatMuls;
import org.llama3j.tensor.Tensor;

/**
 * Builds a {@link LlamaModel} from a GGUF file of architecture {@code llama}: hyper-parameters from
 * the {@code llama.*} metadata keys (llama.cpp {@code llama-arch.cpp}), weights read in place from the
 * mapping, RoPE frequency divisors from the {@code rope_freqs.weight} tensor when the converter
 * stored one (Llama 3.1+ scaling), tied embeddings when {@code output.weight} is absent.
 */
public final class GgufModelLoader {
    private GgufModelLoader() {
    }

    public static LlamaModel load(GgufFile file) {
        LlamaConfig config = config(file);
        return new LlamaModel(config, weights(file, config));
    }

    public static LlamaConfig config(GgufFile file) {
        GgufMetadata md = file.metadata();
        String src = file.source();
        String arch = md.optString("general.architecture")
                .orElseThrow(() -> new ModelFormatException(src + ": no general.architecture key (not a model file?)"));
        if (!arch.equals("llama")) {
            throw new ModelFormatException(src + ": architecture '" + arch + "' is not supported (llama3j runs 'llama')");
        }
        int dim = requireInt(file, "llama.embedding_length");
        int layers = requireInt(file, "llama.block_count");
        int ffn = requireInt(file, "llama.feed_forward_length");
        int heads = requireInt(file, "llama.attention.head_count");
        int kvHeads = md.optInt("llama.attention.head_count_kv").orElse(heads);
        int headDim = md.optInt("llama.attention.key_length").orElse(heads > 0 ? dim / heads : 0);
        int ctx = md.optInt("llama.context_length").orElse(8192);
        float eps = md.optFloat("llama.attention.layer_norm_rms_epsilon").orElse(1e-5f);
        float theta = md.optFloat("llama.rope.freq_base").orElse(10000f);
        Tensor embd = requireTensor(file, "token_embd.weight");
        int vocab = embd.rows();
        float[] divisors = file.findTensor("rope_freqs.weight").map(Dequantize::all).orElse(null);
        boolean tied = !file.hasTensor("output.weight");
        try {
            return new LlamaConfig(dim, layers, heads, kvHeads, headDim, ffn, vocab, ctx, eps, theta, divisors, tied);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(src + ": " + e.getMessage(), e);
        }
    }

    private static LlamaWeights weights(GgufFile file, LlamaConfig c) {
        Tensor embd = tensor(file, "token_embd.weight", c.dim(), c.vocabSize());
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            layers.add(new LayerWeights(
                    tensor(file, p + "attn_norm.weight", c.dim()),
                    matrix(file, p + "attn_q.weight", c.dim(), c.qDim()),
                    matrix(file, p + "attn_k.weight", c.dim(), c.kvDim()),
                    matrix(file, p + "attn_v.weight", c.dim(), c.kvDim()),
                    matrix(file, p + "attn_output.weight", c.qDim(), c.dim()),
                    tensor(file, p + "ffn_norm.weight", c.dim()),
                    matrix(file, p + "ffn_gate.weight", c.dim(), c.ffnDim()),
                    matrix(file, p + "ffn_up.weight", c.dim(), c.ffnDim()),
                    matrix(file, p + "ffn_down.weight", c.ffnDim(), c.dim())));
        }
        Tensor norm = tensor(file, "output_norm.weight", c.dim());
        Tensor output = c.tiedEmbeddings() ? embd : matrix(file, "output.weight", c.dim(), c.vocabSize());
        if (!MatMuls.supports(output.type())) {
            throw new ModelFormatException(file.source() + ": output weight type " + output.type() + " is not supported");
        }
        return new LlamaWeights(embd, layers, norm, output);
    }

    private static Tensor matrix(GgufFile file, String name, long in, long out) {
        Tensor t = tensor(file, name, in, out);
        if (!MatMuls.supports(t.type())) {
            throw new ModelFormatException(file.source() + ": tensor '" + name + "' has type " + t.type()
                    + ", which llama3j cannot multiply yet");
        }
        return t;
    }

    private static Tensor tensor(GgufFile file, String name, long... shape) {
        Tensor t = requireTensor(file, name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelFormatException(file.source() + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    private static Tensor requireTensor(GgufFile file, String name) {
        Optional<Tensor> t = file.findTensor(name);
        return t.orElseThrow(() -> new ModelFormatException(file.source() + ": missing tensor '" + name + "'"));
    }

    private static int requireInt(GgufFile file, String key) {
        return file.metadata().optInt(key)
                .orElseThrow(() -> new ModelFormatException(file.source() + ": missing metadata key '" + key + "'"));
    }
}
