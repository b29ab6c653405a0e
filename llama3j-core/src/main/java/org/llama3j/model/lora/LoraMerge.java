package org.llama3j.model.lora;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufWriter;
import org.llama3j.kernel.Dequantize;
import org.llama3j.model.LayerWeights;
import org.llama3j.model.LlamaWeights;
import org.llama3j.model.ModelQuantizer;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Folds an adapter into its base: {@code W' = W + (α/r)·B·A} for every adapted projection (PEFT
 * {@code merge_and_unload}). The merged weight is computed in FP32 from the dequantized base; a
 * quantized output re-quantizes it, which rounds the (small) adapter delta with the weight, so only
 * an F32 merge equals the side path to float rounding.
 */
public final class LoraMerge {
    private LoraMerge() {
    }

    /** The base's weights with every adapted matrix replaced by its merged FP32 version (others shared). */
    public static LlamaWeights mergeF32(LlamaWeights base, LoraAdapter adapter) {
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < base.layers().size(); l++) {
            LayerWeights w = base.layers().get(l);
            layers.add(new LayerWeights(w.attnNorm(),
                    merged(w.wq(), adapter, l, Projection.Q, DType.F32),
                    merged(w.wk(), adapter, l, Projection.K, DType.F32),
                    merged(w.wv(), adapter, l, Projection.V, DType.F32),
                    merged(w.wo(), adapter, l, Projection.O, DType.F32),
                    w.ffnNorm(),
                    merged(w.wGate(), adapter, l, Projection.GATE, DType.F32),
                    merged(w.wUp(), adapter, l, Projection.UP, DType.F32),
                    merged(w.wDown(), adapter, l, Projection.DOWN, DType.F32)));
        }
        return new LlamaWeights(base.tokenEmbedding(), layers, base.outputNorm(), base.output());
    }

    /**
     * Writes {@code in} with the adapter merged to {@code out} (atomically), copying all metadata.
     * {@code type} null keeps every tensor's type (merged matrices are re-encoded in their own type,
     * or F32 when llama3j cannot encode it); otherwise matrices get {@code type} as
     * {@link ModelQuantizer#typeFor} chooses and {@code general.file_type} is updated.
     *
     * @return the number of merged matrices
     */
    public static int mergeGguf(GgufFile in, LoraAdapter adapter, DType type, Path out) throws IOException {
        GgufWriter w = new GgufWriter();
        var md = in.metadata();
        for (String key : md.keys()) {
            if (!key.equals("general.alignment") && !(type != null && key.equals("general.file_type"))) {
                w.put(key, md.get(key));
            }
        }
        if (type != null) {
            w.putUInt32("general.file_type", ModelQuantizer.fileType(type));
        }
        int merged = 0;
        for (Tensor t : in.tensors().values()) {
            DType target = type == null ? t.type() : ModelQuantizer.typeFor(t, type);
            LoraAdapter.Site site = siteOf(t.name(), adapter);
            if (site != null) {
                DType encoded = canEncode(target) ? target : DType.F32;
                Tensor m = merged(t, adapter, site.layer(), site.projection(), encoded);
                w.addTensor(m);
                merged++;
            } else if (target != t.type()) {
                w.addTensor(t.name(), t.shape(), Dequantize.all(t), target);
            } else {
                w.addTensor(t);
            }
        }
        if (merged != adapter.matrices().size()) {
            throw new LoraFormatException("the GGUF file has " + merged + " of the adapter's " + adapter.matrices().size()
                    + " target matrices; it is not the adapter's base");
        }
        w.write(out);
        return merged;
    }

    private static LoraAdapter.Site siteOf(String tensorName, LoraAdapter adapter) {
        for (LoraAdapter.Site s : adapter.matrices().keySet()) {
            if (s.projection().ggufWeight(s.layer()).equals(tensorName)) {
                return s;
            }
        }
        return null;
    }

    private static boolean canEncode(DType t) {
        return t == DType.F32 || t == DType.F16 || t == DType.BF16 || t == DType.Q8_0 || t == DType.Q4_0;
    }

    private static Tensor merged(Tensor w, LoraAdapter adapter, int layer, Projection p, DType type) {
        LoraMatrices m = adapter.get(layer, p);
        if (m == null) {
            return w;
        }
        if (w.rowLength() != m.in() || w.rows() != m.out()) {
            throw new LoraFormatException(w.name() + " is [" + w.rows() + ", " + w.rowLength() + "] but the adapter's "
                    + p.module() + " delta of layer " + layer + " is [" + m.out() + ", " + m.in() + "]");
        }
        float[] data = Dequantize.all(w);
        m.addDeltaTo(data, adapter.config().scale());
        return new Tensor(w.name(), type, w.shape(), BlockCodecs.quantize(data, type));
    }
}
