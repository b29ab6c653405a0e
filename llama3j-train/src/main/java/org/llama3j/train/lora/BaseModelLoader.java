package org.llama3j.train.lora;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.llama3j.Llama;
import org.llama3j.format.hf.HfRopeScaling;
import org.llama3j.kernel.Dequantize;
import org.llama3j.model.LayerWeights;
import org.llama3j.model.LlamaConfig;
import org.llama3j.model.LlamaWeights;
import org.llama3j.model.SafetensorsExporter;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;

/**
 * Loads a model file (GGUF of any type llama3j reads, e.g. Q8_0 or Q4_0, or an HF checkpoint) as a
 * frozen FP32 base for adapter training. QLoRA (Dettmers et al. 2023) keeps the base in 4 bits and
 * dequantizes per layer on the fly; llama3j dequantizes once instead: its training layers run on
 * flat FP32 arrays, each base matrix is read three times per step (forward, backward-input and the
 * recomputed head), and a base this module can train (fewer than 2³¹ weights) fits in memory as
 * FP32. The cost is 4 bytes per base weight instead of 1.06 (Q8_0) or 0.56 (Q4_0); the adapter is
 * trained against exactly the dequantized weights, which is also what inference's side path adds to.
 */
public final class BaseModelLoader {
    private BaseModelLoader() {
    }

    /** The model at {@code path} as frozen parameters (no gradient arrays). */
    public static LlamaParameters load(Path path) throws IOException {
        try (Llama llama = Llama.load(path)) {
            return fromWeights(llama.config(), llama.model().weights());
        }
    }

    /** The training shape of a loaded model ({@code maxSeqLen} = its context length). */
    public static ModelShape shapeOf(LlamaConfig c) {
        if (c.headDim() * c.heads() != c.dim()) {
            throw new IllegalArgumentException("head_dim " + c.headDim() + " x " + c.heads() + " heads != dim " + c.dim()
                    + "; the training model needs head_dim = dim / heads");
        }
        HfRopeScaling hrs = SafetensorsExporter.hfConfig(c, SafetensorsExporter.Options.of(DType.F32)).ropeScaling();
        Optional<RopeScaling> rs = hrs == null ? Optional.empty() : Optional.of(new RopeScaling(hrs.factor(),
                hrs.lowFreqFactor(), hrs.highFreqFactor(), hrs.originalMaxPositionEmbeddings()));
        return new ModelShape(c.dim(), c.layers(), c.heads(), c.kvHeads(), c.ffnDim(), c.vocabSize(), c.normEps(),
                c.ropeTheta(), rs, c.tiedEmbeddings(), c.contextLength());
    }

    /** Dequantizes every tensor once into frozen FP32 parameters. */
    public static LlamaParameters fromWeights(LlamaConfig c, LlamaWeights w) {
        LlamaParameters p = LlamaParameters.withoutGradients(shapeOf(c));
        p.set("token_embd.weight", Dequantize.all(w.tokenEmbedding()));
        for (int l = 0; l < c.layers(); l++) {
            LayerWeights lw = w.layers().get(l);
            String b = "blk." + l + ".";
            p.set(b + "attn_norm.weight", Dequantize.all(lw.attnNorm()));
            p.set(b + "attn_q.weight", Dequantize.all(lw.wq()));
            p.set(b + "attn_k.weight", Dequantize.all(lw.wk()));
            p.set(b + "attn_v.weight", Dequantize.all(lw.wv()));
            p.set(b + "attn_output.weight", Dequantize.all(lw.wo()));
            p.set(b + "ffn_norm.weight", Dequantize.all(lw.ffnNorm()));
            p.set(b + "ffn_gate.weight", Dequantize.all(lw.wGate()));
            p.set(b + "ffn_up.weight", Dequantize.all(lw.wUp()));
            p.set(b + "ffn_down.weight", Dequantize.all(lw.wDown()));
        }
        p.set("output_norm.weight", Dequantize.all(w.outputNorm()));
        if (!c.tiedEmbeddings()) {
            p.set("output.weight", Dequantize.all(w.output()));
        }
        return p;
    }

    /** Bytes the base takes in its file's type, for the memory comparison in logs. */
    public static long storedBytes(LlamaWeights w) {
        long n = w.tokenEmbedding().byteSize() + w.outputNorm().byteSize();
        for (LayerWeights l : w.layers()) {
            for (Tensor t : new Tensor[] {l.attnNorm(), l.wq(), l.wk(), l.wv(), l.wo(), l.ffnNorm(), l.wGate(), l.wUp(),
                    l.wDown()}) {
                n += t.byteSize();
            }
        }
        return w.output() == w.tokenEmbedding() ? n : n + w.output().byteSize();
    }
}
