package org.llama3j.data.classify;

import java.io.Serializable;
import java.util.List;
import org.llama3j.data.text.Hashing;

/**
 * fastText-style features (Joulin et al. 2017, "Bag of Tricks for Efficient Text Classification"): lower-cased
 * word unigrams and bigrams (runs of letters/digits), hashed into {@code buckets} bins. The hashing trick keeps the
 * model a fixed size whatever the vocabulary.
 */
public record HashedNgramFeatures(int buckets, int maxNgram) implements Serializable {

    public HashedNgramFeatures {
        if (buckets < 1 || maxNgram < 1 || maxNgram > 3) {
            throw new IllegalArgumentException("buckets must be >= 1 and maxNgram in 1..3");
        }
    }

    public static List<String> words(String text) {
        return org.llama3j.data.text.WordTokenizer.lowercaseAlphanumeric(text);
    }

    /** Bucket ids of all n-grams (n = 1..maxNgram), with repetitions. */
    public int[] of(String text) {
        List<String> w = words(text);
        long[] h = new long[w.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = Hashing.hash64(w.get(i));
        }
        int count = 0;
        for (int n = 1; n <= maxNgram; n++) {
            count += Math.max(0, h.length - n + 1);
        }
        int[] out = new int[count];
        int k = 0;
        for (int n = 1; n <= maxNgram; n++) {
            for (int i = 0; i + n <= h.length; i++) {
                long g = n;
                for (int j = i; j < i + n; j++) {
                    g = Hashing.mix64(g * 0x9e3779b97f4a7c15L + h[j]);
                }
                out[k++] = (int) Long.remainderUnsigned(g, buckets);
            }
        }
        return out;
    }
}
