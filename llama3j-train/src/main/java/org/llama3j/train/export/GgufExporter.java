package org.llama3j.train.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llama3j.format.gguf.GgufArray;
import org.llama3j.format.gguf.GgufWriter;
import org.llama3j.model.ModelQuantizer;
import org.llama3j.tensor.DType;
import org.llama3j.tokenizer.ByteLevelUnicode;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.GgufVocabulary;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.SpecialTokens;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.ParameterView;

/**
 * Writes trained weights and their tokenizer as a llama.cpp-compatible GGUF: the {@code llama.*}
 * keys as {@code org.llama3j.model.RandomModelWriter} writes them, a GPT-2-style byte-level BPE
 * vocabulary ({@code tokenizer.ggml.model = gpt2}, {@code pre = llama-bpe}, tokens in
 * byte-to-unicode form, types normal = 1 / control = 3, merges from {@link BpeMerges}, bos/eos/eot
 * ids), and every tensor under its GGUF name. Matrices take the requested type; norm weights
 * and the RoPE frequency divisors stay F32 (as llama-quantize keeps 1-D tensors). A matrix whose
 * row length is not a multiple of the type's block falls back to F32, as llama-quantize does.
 */
public final class GgufExporter {

    private GgufExporter() {
    }

    /** Exports a checkpoint; it must carry the tokenizer it was trained with. */
    public static void export(TrainingState state, Path out, DType type) throws IOException {
        if (state.tokenizer().length == 0) {
            throw new IllegalArgumentException("the checkpoint carries no tokenizer; cannot export a usable GGUF");
        }
        Map<ByteSequence, Integer> ranks = TiktokenFile.read(new ByteArrayInputStream(state.tokenizer()), "checkpoint tokenizer");
        LlamaParameters params = new LlamaParameters(state.shape());
        System.arraycopy(state.weights(), 0, params.values(), 0, state.weights().length);
        export(params, ranks, "llama3j-step-" + state.step(), out, type);
    }

    public static void export(LlamaParameters params, Map<ByteSequence, Integer> ranks, String name, Path out, DType type)
            throws IOException {
        ModelShape s = params.shape();
        int fileType = ModelQuantizer.fileType(type);
        SpecialTokens specials = Llama3Tokenizer.specialTokens(ranks.size());
        int vocab = ranks.size() + specials.size();
        if (vocab != s.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + ranks.size() + " ranks + " + specials.size()
                    + " special tokens = " + vocab + " ids, but the model's vocabulary is " + s.vocabSize());
        }
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putString("general.name", name);
        w.putUInt32("general.file_type", fileType);
        w.putUInt32("llama.context_length", s.maxSeqLen());
        w.putUInt32("llama.embedding_length", s.dim());
        w.putUInt32("llama.block_count", s.nLayers());
        w.putUInt32("llama.feed_forward_length", s.ffnDim());
        w.putUInt32("llama.attention.head_count", s.nHeads());
        w.putUInt32("llama.attention.head_count_kv", s.nKvHeads());
        w.putUInt32("llama.rope.dimension_count", s.headDim());
        w.putFloat32("llama.rope.freq_base", (float) s.ropeTheta());
        w.putFloat32("llama.attention.layer_norm_rms_epsilon", s.normEps());
        w.putUInt32("llama.vocab_size", vocab);
        putTokenizer(w, ranks, specials);
        for (ParameterView v : params.views()) {
            float[] data = params.copyOf(v.name());
            long[] ggmlShape = ggmlShape(v);
            DType t = !v.isMatrix() || ggmlShape[0] % type.blockSize() != 0 ? DType.F32 : type;
            w.addTensor(v.name(), ggmlShape, data, t);
        }
        if (s.ropeScaling().isPresent()) {
            RopeScaling r = s.ropeScaling().get();
            var core = new org.llama3j.model.RopeScaling(r.factor(), r.lowFreqFactor(), r.highFreqFactor(),
                    r.originalContext());
            w.addTensor("rope_freqs.weight", new long[] {s.headDim() / 2},
                    core.frequencyDivisors(s.headDim(), s.ropeTheta()), DType.F32);
        }
        w.write(out);
    }

    /** ggml lists dimensions innermost first: a row-major {@code [out][in]} matrix is {@code {in, out}}. */
    private static long[] ggmlShape(ParameterView v) {
        int[] shape = v.shape();
        long[] g = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            g[i] = shape[shape.length - 1 - i];
        }
        return g;
    }

    static void putTokenizer(GgufWriter w, Map<ByteSequence, Integer> ranks, SpecialTokens specials) {
        int vocab = ranks.size() + specials.size();
        String[] tokens = new String[vocab];
        int[] types = new int[vocab];
        for (Map.Entry<ByteSequence, Integer> e : ranks.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= ranks.size()) {
                throw new IllegalArgumentException("tokenizer rank " + id + " is outside [0, " + ranks.size()
                        + "): ranks must be dense to export");
            }
            tokens[id] = ByteLevelUnicode.encode(e.getKey().toArray());
            types[id] = GgufVocabulary.TYPE_NORMAL;
        }
        for (Map.Entry<String, Integer> e : specials.asMap().entrySet()) {
            tokens[e.getValue()] = e.getKey();
            types[e.getValue()] = GgufVocabulary.TYPE_CONTROL;
        }
        List<String> merges = BpeMerges.derive(ranks);
        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", "llama-bpe");
        w.putArray("tokenizer.ggml.tokens", GgufArray.ofStrings(tokens));
        w.putArray("tokenizer.ggml.token_type", GgufArray.ofInt32(types));
        w.putArray("tokenizer.ggml.merges", GgufArray.ofStrings(merges.toArray(String[]::new)));
        w.putUInt32("tokenizer.ggml.bos_token_id", specials.id(Llama3Tokenizer.BEGIN_OF_TEXT));
        w.putUInt32("tokenizer.ggml.eos_token_id", specials.id(Llama3Tokenizer.END_OF_TEXT));
        w.putUInt32("tokenizer.ggml.eot_token_id", specials.id(Llama3Tokenizer.END_OF_TURN));
        w.putBool("tokenizer.ggml.add_bos_token", true);
    }
}
