package org.llama3j.data.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Hash functions shared by the dedup steps. */
public final class Hashing {

    private Hashing() {
    }

    /** SplitMix64's finalizer (Steele, Lea, Flood 2014): a bijective 64-bit mixer with full avalanche. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a over UTF-16 code units, then {@link #mix64} so all output bits depend on all input. */
    public static long hash64(CharSequence s) {
        return hash64(s, 0, s.length());
    }

    /** {@link #hash64} of {@code s.subSequence(from, to)}, without creating it. */
    public static long hash64(CharSequence s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix64(h ^ (to - from));
    }

    /**
     * {@link #hash64} of {@code parts[from..to)} joined by {@code separator}, without building the joined string
     * (MinHash shingles are word n-grams: one string per shingle was most of their cost).
     */
    public static long hash64Joined(java.util.List<? extends CharSequence> parts, int from, int to, char separator) {
        long h = 0xcbf29ce484222325L;
        int length = 0;
        for (int j = from; j < to; j++) {
            if (j > from) {
                h ^= separator;
                h *= 0x100000001b3L;
                length++;
            }
            CharSequence s = parts.get(j);
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
            length += s.length();
        }
        return mix64(h ^ length);
    }

    /** First 128 bits of SHA-256 of the UTF-8 text: collision-safe for exact dedup at web scale. */
    public static Hash128 sha256x128(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (d[i] & 0xff);
                lo = (lo << 8) | (d[8 + i] & 0xff);
            }
            return new Hash128(hi, lo);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public record Hash128(long hi, long lo) implements java.io.Serializable {
    }
}
