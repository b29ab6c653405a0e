package org.llama3j.data.langid;

import java.util.Locale;
import org.llama3j.data.text.Hashing;

/**
 * Character 1- to 4-gram features of a text, hashed into {@code buckets} (a power of two). The text is lower-cased,
 * runs of non-letters become one space, and it is padded with a space on each side so word starts and ends are
 * n-grams of their own (as in Cavnar &amp; Trenkle 1994, "N-Gram-Based Text Categorization"). Digits and
 * punctuation carry no language signal and are dropped.
 */
public final class CharNgrams {

    public static final int MAX_N = 4;

    private final int mask;

    public CharNgrams(int buckets) {
        if (Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two, got " + buckets);
        }
        this.mask = buckets - 1;
    }

    public int buckets() {
        return mask + 1;
    }

    /** The normalized text the n-grams are taken from. */
    static String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append(' ');
        boolean space = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                sb.append(c);
                space = false;
            } else if (!space) {
                sb.append(' ');
                space = true;
            }
        }
        if (!space) {
            sb.append(' ');
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Calls {@code sink} with the bucket of every n-gram (n = 1..4) of the text, skipping the lone space. */
    public void forEach(String text, java.util.function.IntConsumer sink) {
        String s = normalize(text);
        for (int i = 0; i < s.length(); i++) {
            long h = 0x9e3779b97f4a7c15L;
            for (int n = 1; n <= MAX_N && i + n <= s.length(); n++) {
                h = Hashing.mix64(h ^ s.charAt(i + n - 1) * 0xff51afd7ed558ccdL + n);
                if (n == 1 && s.charAt(i) == ' ') {
                    continue;
                }
                sink.accept((int) (h & mask));
            }
        }
    }
}
