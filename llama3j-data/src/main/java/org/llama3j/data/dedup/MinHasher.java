package org.llama3j.data.dedup;

import java.io.Serializable;
import java.util.List;
import org.llama3j.data.text.Hashing;

/**
 * MinHash signatures (Broder 1997) over word n-gram shingles. Text is lower-cased and split into runs of
 * letters/digits (punctuation and spacing differences do not matter, as in datatrove's minhash normalization);
 * each shingle is hashed to 64 bits; hash function {@code i} is {@code mix64(h ^ seed_i)} with SplitMix64's
 * bijective mixer, and the signature keeps the minimum per function. The fraction of equal positions of two
 * signatures is an unbiased estimate of the Jaccard similarity of their shingle sets.
 */
public final class MinHasher implements Serializable {

    private final int shingleSize;
    private final long[] seeds;

    public MinHasher(int numHashes, int shingleSize, long seed) {
        if (numHashes < 1 || shingleSize < 1) {
            throw new IllegalArgumentException("numHashes and shingleSize must be >= 1");
        }
        this.shingleSize = shingleSize;
        this.seeds = new long[numHashes];
        long s = seed;
        for (int i = 0; i < numHashes; i++) {
            s += 0x9e3779b97f4a7c15L; // SplitMix64 stream: distinct, well-spread seeds
            seeds[i] = Hashing.mix64(s);
        }
    }

    public int numHashes() {
        return seeds.length;
    }

    static List<String> normalizedWords(String text) {
        return org.llama3j.data.text.WordTokenizer.lowercaseAlphanumeric(text);
    }

    /** 64-bit hashes of the word n-grams; a text shorter than n words is one shingle; no words gives none. */
    public long[] shingles(String text) {
        List<String> w = normalizedWords(text);
        if (w.isEmpty()) {
            return new long[0];
        }
        int n = Math.min(shingleSize, w.size());
        long[] out = new long[w.size() - n + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = Hashing.hash64Joined(w, i, i + n, ' '); // = hash64(String.join(" ", w.subList(i, i + n)))
        }
        return out;
    }

    /** The signature of a set of shingle hashes (duplicates do not matter); all Long.MAX_VALUE when empty. */
    public long[] signature(long[] shingleHashes) {
        long[] sig = new long[seeds.length];
        java.util.Arrays.fill(sig, Long.MAX_VALUE);
        long[] seeds = this.seeds;
        for (long h : shingleHashes) {
            // branch-free min over the hash functions, which C2 vectorizes (64-bit multiply and min lanes)
            for (int i = 0; i < seeds.length; i++) {
                sig[i] = Math.min(sig[i], Hashing.mix64(h ^ seeds[i]));
            }
        }
        return sig;
    }

    public long[] signature(String text) {
        return signature(shingles(text));
    }

    /** Fraction of equal positions: the MinHash estimate of Jaccard similarity. */
    public static double estimatedJaccard(long[] a, long[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("signatures of different lengths: " + a.length + " vs " + b.length);
        }
        int eq = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                eq++;
            }
        }
        return (double) eq / a.length;
    }
}
