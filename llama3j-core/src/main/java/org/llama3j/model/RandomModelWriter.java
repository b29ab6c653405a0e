package org.llama3j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufWriter;
import org.llama3j.tensor.DType;

/**
 * Writes a Llama-architecture GGUF with seeded random weights and the tokenizer of another GGUF
 * (e.g. llama.cpp's vocab-only Llama 3 file). Since no real weights can be downloaded here, these
 * files are what the tests and benchmarks run llama3j and llama.cpp on. Embeddings have standard
 * deviation 1 so each token's row stands out and a greedy continuation is a sharp test; an untied
 * output head has {@link #OUTPUT_STD}, which gives logits a spread like a trained model's (a few
 * units) rather than tens of units, so perplexities are not astronomically sensitive to rounding;
 * the other matrices 1/sqrt(fan-in) so activations stay in range through the layers.
 *
 * <p>The same seed and shape give the same bytes.
 */
public final class RandomModelWriter {
    /** Standard deviation of an untied output head's weights. */
    public static final double OUTPUT_STD = 0.25;
    private RandomModelWriter() {
    }

    /**
     * @param matrixType type of the 2-D weights (F32, F16, BF16, Q8_0, Q4_0); norms stay F32
     */
    public static void write(Path out, ModelShape shape, GgufFile vocabulary, DType matrixType, long seed)
            throws IOException {
        var md = vocabulary.metadata();
        int vocab = md.getStringArray("tokenizer.ggml.tokens").length;
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putString("general.name", "llama3j-random-" + seed);
        w.putUInt32("llama.context_length", shape.contextLength());
        w.putUInt32("llama.embedding_length", shape.dim());
        w.putUInt32("llama.block_count", shape.layers());
        w.putUInt32("llama.feed_forward_length", shape.ffnDim());
        w.putUInt32("llama.attention.head_count", shape.heads());
        w.putUInt32("llama.attention.head_count_kv", shape.kvHeads());
        w.putUInt32("llama.rope.dimension_count", shape.headDim());
        w.putFloat32("llama.rope.freq_base", shape.ropeTheta());
        w.putFloat32("llama.attention.layer_norm_rms_epsilon", shape.normEps());
        w.putUInt32("llama.vocab_size", vocab);
        for (String key : md.keys()) {
            if (key.startsWith("tokenizer.")) {
                w.put(key, md.get(key));
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int dim = shape.dim();
        int kvDim = shape.kvHeads() * shape.headDim();
        w.addTensor("token_embd.weight", new long[] {dim, vocab}, gaussian(rnd, (long) dim * vocab, 1.0), matrixType);
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", new long[] {dim}, norm(rnd, dim), DType.F32);
            w.addTensor(p + "attn_q.weight", new long[] {dim, dim}, gaussian(rnd, (long) dim * dim, 1 / Math.sqrt(dim)), matrixType);
            w.addTensor(p + "attn_k.weight", new long[] {dim, kvDim}, gaussian(rnd, (long) dim * kvDim, 1 / Math.sqrt(dim)), matrixType);
            w.addTensor(p + "attn_v.weight", new long[] {dim, kvDim}, gaussian(rnd, (long) dim * kvDim, 1 / Math.sqrt(dim)), matrixType);
            w.addTensor(p + "attn_output.weight", new long[] {dim, dim}, gaussian(rnd, (long) dim * dim, 1 / Math.sqrt(dim)), matrixType);
            w.addTensor(p + "ffn_norm.weight", new long[] {dim}, norm(rnd, dim), DType.F32);
            long ffn = shape.ffnDim();
            w.addTensor(p + "ffn_gate.weight", new long[] {dim, ffn}, gaussian(rnd, dim * ffn, 1 / Math.sqrt(dim)), matrixType);
            w.addTensor(p + "ffn_up.weight", new long[] {dim, ffn}, gaussian(rnd, dim * ffn, 1 / Math.sqrt(dim)), matrixType);
            w.addTensor(p + "ffn_down.weight", new long[] {ffn, dim}, gaussian(rnd, dim * ffn, 1 / Math.sqrt(ffn)), matrixType);
        }
        w.addTensor("output_norm.weight", new long[] {dim}, norm(rnd, dim), DType.F32);
        if (!shape.tiedEmbeddings()) {
            w.addTensor("output.weight", new long[] {dim, vocab}, gaussian(rnd, (long) dim * vocab, OUTPUT_STD), matrixType);
        }
        if (shape.ropeScaling() != null) {
            w.addTensor("rope_freqs.weight", new long[] {shape.headDim() / 2},
                    shape.ropeScaling().frequencyDivisors(shape.headDim(), shape.ropeTheta()), DType.F32);
        }
        w.write(out);
    }

    private static float[] gaussian(SplittableRandom rnd, long n, double std) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextGaussian() * std);
        }
        return a;
    }

    /** Norm weights around 1 (as trained models have), with some spread so they matter. */
    private static float[] norm(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (1 + 0.1 * rnd.nextGaussian());
        }
        return a;
    }
}
