package org.llama3j.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Language-agnostic word tokenizer for the heuristic filters. datatrove uses NLTK's {@code word_tokenize}
 * (datatrove/utils/word_tokenizers.py), which splits punctuation off words; we approximate it without NLTK:
 * split on (Python's) whitespace, then peel a leading and a trailing run of punctuation/symbol characters off each
 * chunk as separate tokens ("Hello," becomes "Hello" and ","; "#tag" becomes "#" and "tag"; "..." stays one token).
 */
public final class WordTokenizer {

    private WordTokenizer() {
    }

    /** The tokens as strings; {@link #spans} gives the same tokens as offsets without allocating them. */
    public static List<String> words(String text) {
        return spans(text).strings();
    }

    /**
     * The tokens of {@code text} as offsets. The last result is kept per thread and reused when called again with
     * the same String instance, so a chain of filters (Gopher quality, Gopher repetition, FineWeb) tokenizes each
     * document once instead of once per filter; Strings are immutable, so identity implies equal tokens.
     */
    public static WordSpans spans(String text) {
        WordSpans last = LAST.get();
        if (last != null && last.text() == text) {
            return last;
        }
        WordSpans w = tokenize(text);
        LAST.set(w);
        return w;
    }

    private static final ThreadLocal<WordSpans> LAST = new ThreadLocal<>();

    private static WordSpans tokenize(String text) {
        int[] bounds = new int[16];
        int k = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && TextLines.isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !TextLines.isSpace(text.charAt(i))) {
                i++;
            }
            if (start < i) {
                if (k + 6 > bounds.length) {
                    bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
                }
                k = splitChunk(text, start, i, bounds, k);
            }
        }
        return new WordSpans(text, bounds, k / 2);
    }

    /** Appends the chunk's one to three tokens as (start, end) pairs at {@code bounds[k]}; returns the new k. */
    private static int splitChunk(String text, int start, int end, int[] bounds, int k) {
        int a = start;
        while (a < end && isPunctuation(text.codePointAt(a))) {
            a += Character.charCount(text.codePointAt(a));
        }
        if (a == end) {
            bounds[k++] = start;
            bounds[k++] = end;
            return k;
        }
        int b = end;
        while (b > a && isPunctuation(text.codePointBefore(b))) {
            b -= Character.charCount(text.codePointBefore(b));
        }
        if (a > start) {
            bounds[k++] = start;
            bounds[k++] = a;
        }
        bounds[k++] = a;
        bounds[k++] = b;
        if (b < end) {
            bounds[k++] = b;
            bounds[k++] = end;
        }
        return k;
    }

    /** Unicode punctuation (P*) and symbols (S*), the analogue of datatrove's PUNCTUATION_SET. */
    public static boolean isPunctuation(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** True when the word has at least one character that is not punctuation (a "non-symbol word"). */
    public static boolean hasNonPunctuation(String word) {
        return word.codePoints().anyMatch(cp -> !isPunctuation(cp));
    }

    /** True when the word has at least one letter (Python's {@code str.isalpha} on some character). */
    public static boolean hasLetter(String word) {
        return word.codePoints().anyMatch(Character::isLetter);
    }

    /**
     * Maximal runs of letters and digits, lower-cased (ROOT locale): the words that hashed n-gram
     * features, MinHash shingles and dirty-word matching all compare.
     */
    public static List<String> lowercaseAlphanumeric(String text) {
        List<String> out = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT); // whole-string lowering: context rules such as final sigma
        int start = -1;
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                out.add(lower.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(lower.substring(start));
        }
        return out;
    }
}
