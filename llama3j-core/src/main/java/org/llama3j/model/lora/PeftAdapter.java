package org.llama3j.model.lora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llama3j.format.hf.RopePermutation;
import org.llama3j.format.safetensors.SafetensorsFile;
import org.llama3j.format.safetensors.SafetensorsReader;
import org.llama3j.format.safetensors.SafetensorsWriter;
import org.llama3j.kernel.Dequantize;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Reads and writes a LoRA adapter in the Hugging Face PEFT layout: a directory with
 * {@code adapter_config.json} ({@link PeftAdapterConfig}) and {@code adapter_model.safetensors}
 * holding {@code base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight} ({@code [r, in]})
 * and {@code ….lora_B.weight} ({@code [out, r]}) per adapted module (PEFT {@code get_peft_model_state_dict}
 * drops the adapter name). The directory loads with {@code PeftModel.from_pretrained} on the HF
 * checkpoint that {@code llama3j convert} writes of the same base.
 *
 * <p>HF orders q/k output rows half-split per head, GGUF interleaved ({@link RopePermutation}); B's
 * rows are output rows, so q/k B matrices are permuted on write and back on read. A's rows are
 * rank rows and its columns are inputs, which need no permutation.
 */
public final class PeftAdapter {
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final Pattern NAME = Pattern.compile(
            "base_model\\.model\\.model\\.layers\\.(\\d+)\\.(self_attn|mlp)\\.(\\w+)\\.lora_([AB])\\.weight");

    private PeftAdapter() {
    }

    /** PEFT tensor name of one LoRA matrix ({@code which} is 'A' or 'B'). */
    public static String tensorName(int layer, Projection p, char which) {
        return "base_model.model.model.layers." + layer + "." + p.path() + ".lora_" + which + ".weight";
    }

    /** Writes {@code dir/adapter_config.json} and {@code dir/adapter_model.safetensors} (F32). */
    public static void write(LoraAdapter adapter, String baseModel, Path dir) throws IOException {
        LoraBase base = adapter.base();
        SafetensorsWriter w = new SafetensorsWriter().putMetadata("format", "pt");
        for (int l = 0; l < base.layers(); l++) {
            for (Projection p : adapter.config().orderedTargets()) {
                LoraMatrices m = adapter.get(l, p);
                w.addTensor(tensorName(l, p, 'A'), new long[] {m.in(), m.rank()}, m.a(), DType.F32);
                w.addTensor(tensorName(l, p, 'B'), new long[] {m.rank(), m.out()}, hfRows(m.b(), m, p, base), DType.F32);
            }
        }
        Files.createDirectories(dir);
        w.write(dir.resolve(WEIGHTS_FILE));
        PeftAdapterConfig.write(adapter.config(), baseModel, dir);
    }

    /** Reads an adapter directory and checks every tensor against the base's sizes. */
    public static LoraAdapter read(Path dir, LoraBase base) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "LoRA adapter directory not found");
        }
        LoraConfig config = PeftAdapterConfig.read(dir);
        Path file = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "LoRA adapter directory has no " + WEIGHTS_FILE);
        }
        Map<LoraAdapter.Site, float[]> as = new HashMap<>();
        Map<LoraAdapter.Site, float[]> bs = new HashMap<>();
        try (SafetensorsFile f = SafetensorsReader.open(file)) {
            for (Tensor t : f.tensors().values()) {
                Matcher mt = NAME.matcher(t.name());
                Projection p = mt.matches() ? Projection.ofModule(mt.group(3)) : null;
                if (p == null || !p.path().equals(mt.group(2) + "." + mt.group(3))) {
                    throw new LoraFormatException(file + ": tensor '" + t.name() + "' is not a LoRA matrix of a Llama"
                            + " projection (expected base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight …)");
                }
                int layer = Integer.parseInt(mt.group(1));
                if (layer >= base.layers()) {
                    throw new LoraFormatException(file + ": tensor '" + t.name() + "' is for layer " + layer
                            + " but the base model has " + base.layers() + " layers");
                }
                boolean isA = mt.group(4).equals("A");
                int rows = isA ? config.rank() : p.out(base);
                int cols = isA ? p.in(base) : config.rank();
                if (t.rank() != 2 || t.rows() != rows || t.rowLength() != cols) {
                    throw new LoraFormatException(file + ": tensor '" + t.name() + "' has shape " + hfShape(t)
                            + " but r = " + config.rank() + " on this base model needs [" + rows + ", " + cols + "]");
                }
                (isA ? as : bs).put(new LoraAdapter.Site(layer, p), Dequantize.all(t));
            }
        }
        Map<LoraAdapter.Site, LoraMatrices> matrices = new HashMap<>();
        for (Map.Entry<LoraAdapter.Site, float[]> e : as.entrySet()) {
            LoraAdapter.Site s = e.getKey();
            float[] b = bs.get(s);
            if (b == null) {
                throw new LoraFormatException(file + ": " + tensorName(s.layer(), s.projection(), 'A')
                        + " has no matching lora_B tensor");
            }
            Projection p = s.projection();
            LoraMatrices hf = new LoraMatrices(config.rank(), p.in(base), p.out(base), e.getValue(), b);
            matrices.put(s, new LoraMatrices(hf.rank(), hf.in(), hf.out(), hf.a(), ggufRows(b, hf, p, base)));
        }
        for (LoraAdapter.Site s : bs.keySet()) {
            if (!as.containsKey(s)) {
                throw new LoraFormatException(file + ": " + tensorName(s.layer(), s.projection(), 'B')
                        + " has no matching lora_A tensor");
            }
        }
        try {
            return new LoraAdapter(config, base, matrices);
        } catch (LoraFormatException e) {
            throw new LoraFormatException(dir + ": " + e.getMessage(), e);
        }
    }

    private static String hfShape(Tensor t) {
        long[] s = t.shape();
        StringBuilder b = new StringBuilder("[");
        for (int i = s.length - 1; i >= 0; i--) {
            b.append(s[i]).append(i > 0 ? ", " : "]");
        }
        return b.toString();
    }

    private static float[] hfRows(float[] b, LoraMatrices m, Projection p, LoraBase base) {
        int heads = p == Projection.Q ? base.heads() : p == Projection.K ? base.kvHeads() : 0;
        return heads == 0 ? b : RopePermutation.toHalfSplit(b, m.out(), m.rank(), heads);
    }

    private static float[] ggufRows(float[] b, LoraMatrices m, Projection p, LoraBase base) {
        int heads = p == Projection.Q ? base.heads() : p == Projection.K ? base.kvHeads() : 0;
        return heads == 0 ? b : RopePermutation.toInterleaved(b, m.out(), m.rank(), heads);
    }
}
