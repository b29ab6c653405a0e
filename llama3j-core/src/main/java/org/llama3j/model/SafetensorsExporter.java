package org.llama3j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.llama3j.format.hf.HfLlamaConfig;
import org.llama3j.format.hf.HfRopeScaling;
import org.llama3j.format.hf.HfTensorNames;
import org.llama3j.format.hf.RopePermutation;
import org.llama3j.format.safetensors.SafetensorsModel;
import org.llama3j.format.safetensors.SafetensorsWriter;
import org.llama3j.kernel.Dequantize;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Writes a {@link LlamaModel}'s weights as a Hugging Face {@code LlamaForCausalLM} checkpoint:
 * {@code config.json} and one {@code model.safetensors}, readable by transformers and by
 * {@link SafetensorsModelLoader}. The inverse of the loader: q/k rows go back to HF's half-split
 * order ({@link RopePermutation#toHalfSplit}), quantized weights are dequantized, and the output
 * head is left out when the embeddings are tied.
 *
 * <p>Matrices are written in {@link Options#type()}; a matrix already of that type is copied byte
 * for byte. Norm weights stay F32 as llama3j and GGUF keep them (transformers casts every tensor to
 * {@code torch_dtype} on load). The header carries {@code "format": "pt"}, which transformers requires.
 */
public final class SafetensorsExporter {
    private SafetensorsExporter() {
    }

    /**
     * @param type        F32, F16 or BF16 for the matrices
     * @param ropeScaling the llama3 scaling to record in config.json; null to derive it from the
     *                    model's frequency divisors (none when they are all 1)
     * @param bosTokenIds config.json {@code bos_token_id}
     * @param eosTokenIds config.json {@code eos_token_id}
     */
    public record Options(DType type, RopeScaling ropeScaling, List<Integer> bosTokenIds, List<Integer> eosTokenIds) {
        public Options {
            if (type != DType.F32 && type != DType.F16 && type != DType.BF16) {
                throw new IllegalArgumentException("HF export writes F32, F16 or BF16 weights, not " + type);
            }
            bosTokenIds = List.copyOf(bosTokenIds);
            eosTokenIds = List.copyOf(eosTokenIds);
        }

        public static Options of(DType type) {
            return new Options(type, null, List.of(), List.of());
        }
    }

    /** Writes {@code dir/config.json} and {@code dir/model.safetensors} (the directory is created if needed). */
    public static void export(LlamaModel model, Options options, Path dir) throws IOException {
        LlamaConfig c = model.config();
        HfLlamaConfig hf = hfConfig(c, options);
        SafetensorsWriter w = new SafetensorsWriter().putMetadata("format", "pt");
        LlamaWeights lw = model.weights();
        DType type = options.type();
        matrix(w, HfTensorNames.EMBED_TOKENS, lw.tokenEmbedding(), type);
        for (int l = 0; l < c.layers(); l++) {
            LayerWeights layer = lw.layers().get(l);
            norm(w, HfTensorNames.inputNorm(l), layer.attnNorm());
            halfSplit(w, HfTensorNames.qProj(l), layer.wq(), c.heads(), type);
            halfSplit(w, HfTensorNames.kProj(l), layer.wk(), c.kvHeads(), type);
            matrix(w, HfTensorNames.vProj(l), layer.wv(), type);
            matrix(w, HfTensorNames.oProj(l), layer.wo(), type);
            norm(w, HfTensorNames.postAttentionNorm(l), layer.ffnNorm());
            matrix(w, HfTensorNames.gateProj(l), layer.wGate(), type);
            matrix(w, HfTensorNames.upProj(l), layer.wUp(), type);
            matrix(w, HfTensorNames.downProj(l), layer.wDown(), type);
        }
        norm(w, HfTensorNames.NORM, lw.outputNorm());
        if (!c.tiedEmbeddings()) {
            matrix(w, HfTensorNames.LM_HEAD, lw.output(), type);
        }
        Files.createDirectories(dir);
        w.write(dir.resolve(SafetensorsModel.SINGLE_FILE));
        hf.write(dir.resolve(SafetensorsModelLoader.CONFIG_FILE));
    }

    /** The config.json of a model (LlamaForCausalLM). */
    public static HfLlamaConfig hfConfig(LlamaConfig c, Options options) {
        RopeScaling rs = options.ropeScaling() != null ? options.ropeScaling() : RopeScalingFit.of(c);
        if (rs != null) {
            RopeScalingFit.check(rs, c);
        } else if (!RopeScalingFit.isUnscaled(c)) {
            throw new ModelFormatException("the model's RoPE frequency divisors are not those of any llama3 rope_scaling"
                    + " that config.json could express; pass the RopeScaling explicitly");
        }
        HfRopeScaling hrs = rs == null ? null : new HfRopeScaling(HfRopeScaling.LLAMA3, rs.factor(), rs.lowFreqFactor(),
                rs.highFreqFactor(), rs.originalContextLength());
        String torchDtype = switch (options.type()) {
            case F32 -> "float32";
            case F16 -> "float16";
            default -> "bfloat16";
        };
        return new HfLlamaConfig(c.dim(), c.ffnDim(), c.layers(), c.heads(), c.kvHeads(), c.headDim(), decimal(c.normEps()),
                decimal(c.ropeTheta()), hrs, c.vocabSize(), c.contextLength(), c.tiedEmbeddings(), options.bosTokenIds(),
                options.eosTokenIds(), torchDtype);
    }

    /** The float's shortest decimal (1e-5f as 1.0E-5, not 9.99999974737875E-6), as a human wrote it in config.json. */
    private static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    private static void matrix(SafetensorsWriter w, String name, Tensor t, DType type) {
        if (t.type() == type) {
            w.addTensor(new Tensor(name, type, t.shape(), t.data()));
        } else {
            w.addTensor(name, t.shape(), Dequantize.all(t), type);
        }
    }

    private static void norm(SafetensorsWriter w, String name, Tensor t) {
        matrix(w, name, t, DType.F32);
    }

    private static void halfSplit(SafetensorsWriter w, String name, Tensor t, int heads, DType type) {
        float[] rows = RopePermutation.toHalfSplit(Dequantize.all(t), t.rows(), t.rowLength(), heads);
        w.addTensor(name, t.shape(), rows, type);
    }
}
