package org.llama3j.model;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llama3j.format.hf.HfConfigException;
import org.llama3j.format.hf.HfLlamaConfig;
import org.llama3j.format.hf.HfRopeScaling;
import org.llama3j.format.hf.HfTensorNames;
import org.llama3j.format.hf.RopePermutation;
import org.llama3j.format.safetensors.SafetensorsModel;
import org.llama3j.format.safetensors.SafetensorsTensorInfo;
import org.llama3j.kernel.MatMuls;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Builds a {@link LlamaModel} from a Hugging Face {@code LlamaForCausalLM} checkpoint directory:
 * {@code config.json} plus {@code model.safetensors} or a sharded {@code model.safetensors.index.json}.
 *
 * <p>Tensor names are those of transformers' {@code modeling_llama.py} ({@link HfTensorNames}).
 * Weights are used in place from the mapping, except {@code q_proj} and {@code k_proj}: HF stores
 * their rows in the half-split order that {@code rotate_half} RoPE expects, llama3j rotates
 * adjacent pairs (the Meta/GGUF layout), so those two are copied with their rows permuted
 * ({@link RopePermutation}, as convert_hf_to_gguf.py does). {@code lm_head.weight} absent or
 * {@code tie_word_embeddings: true} means the output head is the embedding matrix.
 */
public final class SafetensorsModelLoader {
    public static final String CONFIG_FILE = "config.json";
    private static final Pattern LAYER_TENSOR = Pattern.compile("model\\.layers\\.(\\d+)\\..*");

    private SafetensorsModelLoader() {
    }

    /** An open checkpoint: the model and the mapped files its weights live in. */
    public record Checkpoint(Path directory, HfLlamaConfig hfConfig, SafetensorsModel safetensors, LlamaModel model)
            implements AutoCloseable {
        @Override
        public void close() {
            safetensors.close();
        }
    }

    /**
     * Whether {@code path} names an HF checkpoint rather than a GGUF file: a directory, its
     * {@code config.json}, a {@code .safetensors} file or a safetensors index.
     */
    public static boolean isCheckpoint(Path path) {
        if (Files.isDirectory(path)) {
            return true;
        }
        String name = String.valueOf(path.getFileName());
        return name.equals(CONFIG_FILE) || name.endsWith(".safetensors") || name.endsWith(".safetensors.index.json");
    }

    /** The checkpoint directory of a path {@link #isCheckpoint} accepts. */
    public static Path checkpointDirectory(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        return Files.isDirectory(abs) ? abs : abs.getParent();
    }

    /** Opens the checkpoint at {@code path} (see {@link #isCheckpoint}); close it to unmap the weights. */
    public static Checkpoint open(Path path) throws IOException {
        Path dir = checkpointDirectory(path);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(path.toString(), null, "checkpoint directory not found");
        }
        HfLlamaConfig hf = readConfig(dir);
        if (!Files.isRegularFile(dir.resolve(SafetensorsModel.SINGLE_FILE))
                && !Files.isRegularFile(dir.resolve(SafetensorsModel.INDEX_FILE))) {
            throw new ModelFormatException(dir + ": no " + SafetensorsModel.SINGLE_FILE + " or "
                    + SafetensorsModel.INDEX_FILE + " (llama3j reads safetensors weights, not .bin/.pth)");
        }
        SafetensorsModel files = SafetensorsModel.open(dir);
        try {
            return new Checkpoint(dir, hf, files, load(files, hf, dir));
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** Reads and checks {@code dir/config.json}. */
    public static HfLlamaConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(dir + ": no " + CONFIG_FILE + " (not a Hugging Face checkpoint directory?)");
        }
        try {
            return HfLlamaConfig.read(file);
        } catch (HfConfigException e) {
            throw new ModelFormatException(dir + "/" + e.getMessage(), e);
        }
    }

    /** The model's hyper-parameters from {@code config.json}; {@code source} names it in messages. */
    public static LlamaConfig config(HfLlamaConfig hf, boolean tied, Object source) {
        float[] divisors = null;
        HfRopeScaling rs = hf.ropeScaling();
        if (rs != null) {
            if (!rs.isLlama3()) {
                throw new ModelFormatException(source + "/" + CONFIG_FILE + ": rope_scaling type '" + rs.type()
                        + "' is not supported (llama3j implements 'llama3' scaling, or none)");
            }
            try {
                divisors = new RopeScaling(rs.factor(), rs.lowFreqFactor(), rs.highFreqFactor(),
                        rs.originalMaxPositionEmbeddings()).frequencyDivisors(hf.headDim(), hf.ropeTheta());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + "/" + CONFIG_FILE + ": " + e.getMessage(), e);
            }
        }
        try {
            return new LlamaConfig(hf.hiddenSize(), hf.numHiddenLayers(), hf.numAttentionHeads(), hf.numKeyValueHeads(),
                    hf.headDim(), hf.intermediateSize(), hf.vocabSize(), hf.maxPositionEmbeddings(),
                    (float) hf.rmsNormEps(), (float) hf.ropeTheta(), divisors, tied);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + "/" + CONFIG_FILE + ": " + e.getMessage(), e);
        }
    }

    /** Builds the model from open weight files and their config; {@code source} (the directory) names them in messages. */
    public static LlamaModel load(SafetensorsModel files, HfLlamaConfig hf, Object source) {
        boolean tied = hf.tieWordEmbeddings() || !files.hasTensor(HfTensorNames.LM_HEAD);
        LlamaConfig c = config(hf, tied, source);
        checkNoStrayTensors(files, c, source);
        var w = new WeightReader(files, source);
        Tensor embd = w.tensor(HfTensorNames.EMBED_TOKENS, c.vocabSize(), c.dim());
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            layers.add(new LayerWeights(
                    w.tensor(HfTensorNames.inputNorm(l), c.dim()),
                    w.ropePermuted(HfTensorNames.qProj(l), c.heads(), c.qDim(), c.dim()),
                    w.ropePermuted(HfTensorNames.kProj(l), c.kvHeads(), c.kvDim(), c.dim()),
                    w.matrix(HfTensorNames.vProj(l), c.kvDim(), c.dim()),
                    w.matrix(HfTensorNames.oProj(l), c.dim(), c.qDim()),
                    w.tensor(HfTensorNames.postAttentionNorm(l), c.dim()),
                    w.matrix(HfTensorNames.gateProj(l), c.ffnDim(), c.dim()),
                    w.matrix(HfTensorNames.upProj(l), c.ffnDim(), c.dim()),
                    w.matrix(HfTensorNames.downProj(l), c.dim(), c.ffnDim())));
        }
        Tensor norm = w.tensor(HfTensorNames.NORM, c.dim());
        Tensor output = tied ? w.matrix(HfTensorNames.EMBED_TOKENS, c.vocabSize(), c.dim())
                : w.matrix(HfTensorNames.LM_HEAD, c.vocabSize(), c.dim());
        return new LlamaModel(c, new LlamaWeights(embd, layers, norm, output));
    }

    /** Layers beyond the config or bias tensors mean a checkpoint llama3j would run wrongly: refuse it. */
    private static void checkNoStrayTensors(SafetensorsModel files, LlamaConfig c, Object source) {
        for (String name : files.tensorNames()) {
            Matcher m = LAYER_TENSOR.matcher(name);
            if (m.matches() && (m.group(1).length() > 9 || Integer.parseInt(m.group(1)) >= c.layers())) {
                throw new ModelFormatException(source + "/" + files.sourceOf(name) + ": tensor '" + name
                        + "' belongs to a layer beyond num_hidden_layers = " + c.layers() + " in " + CONFIG_FILE);
            }
            if (name.endsWith(".bias")) {
                throw new ModelFormatException(source + "/" + files.sourceOf(name) + ": tensor '" + name
                        + "' is a bias; llama3j runs Llama models without biases (attention_bias/mlp_bias false)");
            }
        }
    }

    /** Fetches tensors by HF name with shape (given in HF order, outermost first) and type checks. */
    private record WeightReader(SafetensorsModel files, Object source) {
        Tensor tensor(String name, long... hfShape) {
            if (!files.hasTensor(name)) {
                throw new ModelFormatException(source + ": missing tensor '" + name + "' (not in "
                        + (files.files().size() == 1 ? files.files().getFirst().source() : SafetensorsModel.INDEX_FILE) + ")");
            }
            SafetensorsTensorInfo info = files.tensorInfo(name);
            String where = source + "/" + files.sourceOf(name);
            if (info.type() != DType.F32 && info.type() != DType.F16 && info.type() != DType.BF16) {
                throw new ModelFormatException(where + ": tensor '" + name + "' has dtype " + info.type()
                        + "; llama3j loads F32, F16 and BF16 weights");
            }
            if (!Arrays.equals(info.hfShape(), hfShape)) {
                throw new ModelFormatException(where + ": tensor '" + name + "' has shape " + Arrays.toString(info.hfShape())
                        + ", expected " + Arrays.toString(hfShape) + " from " + CONFIG_FILE);
            }
            return files.tensor(name);
        }

        Tensor matrix(String name, long out, long in) {
            Tensor t = tensor(name, out, in);
            if (!MatMuls.supports(t.type())) {
                throw new ModelFormatException(source + "/" + files.sourceOf(name) + ": tensor '" + name
                        + "' has type " + t.type() + ", which llama3j cannot multiply");
            }
            return t;
        }

        /** A q or k projection with its rows moved from HF's half-split order to the interleaved one. */
        Tensor ropePermuted(String name, int heads, long out, long in) {
            Tensor t = matrix(name, out, in);
            int rows = t.rows();
            long rowBytes = t.rowBytes();
            // an automatic arena per copy: freed by the GC once the model is unreachable
            MemorySegment copy = Arena.ofAuto().allocate(t.byteSize(), 64);
            for (int row = 0; row < rows; row++) {
                int src = RopePermutation.hfRowForInterleaved(row, rows, heads);
                MemorySegment.copy(t.data(), src * rowBytes, copy, row * rowBytes, rowBytes);
            }
            return new Tensor(t.name(), t.type(), t.shape(), copy);
        }
    }
}
