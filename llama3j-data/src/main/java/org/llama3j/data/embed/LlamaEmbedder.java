package org.llama3j.data.embed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.llama3j.Llama;
import org.llama3j.model.LlamaModel;

/**
 * Text embeddings from a llama3j model: the mean over the document's tokens (BOS + at most {@code maxTokens} text
 * tokens) of the final hidden states after the output norm, L2-normalized (mean pooling, as in Sentence-BERT;
 * Llama 3 section 3.1.1 names semantic dedup, citing SemDeDup, Abbas et al. 2023, which clusters such embeddings).
 * The model is loaded on first use into a transient field, so the embedder ships as its path; it is shared by the
 * threads of one JVM (each call uses its own inference state).
 */
public final class LlamaEmbedder implements TextEmbedder {

    private final String modelPath;
    private final int maxTokens;
    private transient volatile Llama llama;

    public LlamaEmbedder(String modelPath, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        this.modelPath = modelPath;
        this.maxTokens = maxTokens;
    }

    private Llama llama() {
        Llama l = llama;
        if (l == null) {
            synchronized (this) {
                l = llama;
                if (l == null) {
                    try {
                        l = Llama.load(Path.of(modelPath));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot load embedding model " + modelPath, e);
                    }
                    llama = l;
                }
            }
        }
        return l;
    }

    @Override
    public float[] embed(String text) {
        Llama l = llama();
        int[] body = l.tokenizer().encode(text);
        int n = Math.min(body.length, maxTokens) + 1;
        int[] tokens = new int[n];
        tokens[0] = l.bos();
        System.arraycopy(body, 0, tokens, 1, n - 1);
        LlamaModel m = l.model();
        float[] h = m.hiddenStates(m.newState(n), tokens, n);
        int dim = m.config().dim();
        float[] mean = new float[dim];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < dim; i++) {
                mean[i] += h[t * dim + i];
            }
        }
        return TextEmbedder.normalize(Arrays.copyOf(mean, dim));
    }
}
