package org.llama3j.model;

import java.io.IOException;
import java.nio.file.Path;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufWriter;
import org.llama3j.kernel.Dequantize;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Rewrites a GGUF model's weight matrices in another type, choosing per tensor as
 * {@code llama-quantize} does for the ftypes we support (llama.cpp {@code llama-quant.cpp}
 * {@code llama_tensor_get_type}): every 2-D weight gets the target type, except that for Q4_0
 * the output head gets Q6_K in llama.cpp — llama3j has no Q6_K quantizer, so it uses Q8_0, the
 * type llama.cpp itself falls back to when the row length is not a multiple of 256. Norms and
 * rope factors are copied. Quantization is bit-exact with ggml's reference quantizers, so for
 * models whose output rows are not multiples of 256 the result equals llama-quantize's tensor for
 * tensor. The file is written to a temporary name and renamed.
 */
public final class ModelQuantizer {
    private ModelQuantizer() {
    }

    /** llama.cpp {@code enum llama_ftype} values written to {@code general.file_type}. */
    public static int fileType(DType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case BF16 -> 32;
            default -> throw new IllegalArgumentException("cannot quantize a model to " + t
                    + " (supported: F32, F16, BF16, Q8_0, Q4_0)");
        };
    }

    /** The type llama3j gives tensor {@code t} when quantizing to {@code target}. */
    public static DType typeFor(Tensor t, DType target) {
        boolean matrix = t.rank() == 2 && t.name().endsWith(".weight") && !t.name().startsWith("rope_freqs");
        if (!matrix) {
            return t.type();
        }
        DType chosen = target == DType.Q4_0 && t.name().equals("output.weight") ? DType.Q8_0 : target;
        return t.rowLength() % chosen.blockSize() == 0 ? chosen : t.type();
    }

    /** Writes {@code in} quantized to {@code target} at {@code out}; returns how many tensors changed type. */
    public static int quantize(GgufFile in, DType target, Path out) throws IOException {
        int ftype = fileType(target);
        GgufWriter w = new GgufWriter();
        var md = in.metadata();
        for (String key : md.keys()) {
            if (!key.equals("general.file_type") && !key.equals("general.alignment")) {
                w.put(key, md.get(key));
            }
        }
        w.putUInt32("general.file_type", ftype);
        int converted = 0;
        for (Tensor t : in.tensors().values()) {
            DType type = typeFor(t, target);
            if (type != t.type()) {
                w.addTensor(t.name(), t.shape(), Dequantize.all(t), type);
                converted++;
            } else {
                w.addTensor(t);
            }
        }
        w.write(out);
        return converted;
    }
}
