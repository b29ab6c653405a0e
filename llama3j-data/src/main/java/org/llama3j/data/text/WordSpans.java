package org.llama3j.data.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link WordTokenizer} tokens of one text as (start, end) offsets into it: the heuristic filters read
 * per-word properties straight from the text instead of allocating a String per word.
 */
public final class WordSpans {

    private final String text;
    private final int[] bounds;
    private final int size;

    WordSpans(String text, int[] bounds, int size) {
        this.text = text;
        this.bounds = bounds;
        this.size = size;
    }

    public String text() {
        return text;
    }

    public int size() {
        return size;
    }

    public int start(int i) {
        return bounds[2 * i];
    }

    public int end(int i) {
        return bounds[2 * i + 1];
    }

    public String word(int i) {
        return text.substring(start(i), end(i));
    }

    /** Python's {@code len} of word i: code points. */
    public int codePoints(int i) {
        return text.codePointCount(start(i), end(i));
    }

    /** {@link Hashing#hash64} of word i, without extracting it. */
    public long hash64(int i) {
        return Hashing.hash64(text, start(i), end(i));
    }

    /** {@link WordTokenizer#hasNonPunctuation} of word i. */
    public boolean hasNonPunctuation(int i) {
        for (int p = start(i), e = end(i); p < e; ) {
            int cp = text.codePointAt(p);
            if (!WordTokenizer.isPunctuation(cp)) {
                return true;
            }
            p += Character.charCount(cp);
        }
        return false;
    }

    /** {@link WordTokenizer#hasLetter} of word i. */
    public boolean hasLetter(int i) {
        for (int p = start(i), e = end(i); p < e; ) {
            int cp = text.codePointAt(p);
            if (Character.isLetter(cp)) {
                return true;
            }
            p += Character.charCount(cp);
        }
        return false;
    }

    public List<String> strings() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(word(i));
        }
        return out;
    }
}
