package org.llama3j.data.filter;

import java.util.List;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.Hashing;
import org.llama3j.data.text.TextLines;
import org.llama3j.data.text.WordSpans;
import org.llama3j.data.text.WordTokenizer;

/**
 * Gopher repetition removal (Rae et al. 2021, table A1), with the semantics of datatrove's
 * {@code pipeline/filters/gopher_repetition_filter.py}: paragraphs split on {@code \n{2,}} of the stripped
 * text, lines on {@code \n+}; a "duplicate" is every occurrence after the first; all character fractions
 * divide by the full text length; top n-grams are space-joined words, duplicate n-grams are counted
 * greedily (after a repeat the scan jumps n words) and measured on the words concatenated without spaces.
 * A fraction of 0 disables its rule.
 */
public final class GopherRepetitionFilter implements DocumentStep {

    /** Ordered (n, maximum fraction) pairs. */
    public record NGramLimit(int n, double maxFraction) implements java.io.Serializable {
    }

    public record Config(double dupLineFrac, double dupParaFrac, double dupLineCharFrac, double dupParaCharFrac,
                         List<NGramLimit> topNGrams, List<NGramLimit> dupNGrams) implements java.io.Serializable {
        /** Gopher table A1, as datatrove's defaults. */
        public static final Config DEFAULTS = new Config(0.3, 0.3, 0.2, 0.2,
                List.of(new NGramLimit(2, 0.20), new NGramLimit(3, 0.18), new NGramLimit(4, 0.16)),
                List.of(new NGramLimit(5, 0.15), new NGramLimit(6, 0.14), new NGramLimit(7, 0.13),
                        new NGramLimit(8, 0.12), new NGramLimit(9, 0.11), new NGramLimit(10, 0.10)));

        public Config {
            topNGrams = List.copyOf(topNGrams);
            dupNGrams = List.copyOf(dupNGrams);
        }
    }

    private final Config config;

    public GopherRepetitionFilter(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "gopher_repetition";
    }

    /** (duplicate element count, duplicate character count) over all occurrences after the first. */
    static long[] duplicates(List<String> elements) {
        int n = elements.size();
        if (n < 2) {
            return new long[] {0, 0}; // nothing to hash: one paragraph is the common case
        }
        // open addressing over element indices (String hash, then equals): no HashSet nodes per element
        int capacity = Integer.highestOneBit(n * 2 - 1) << 1;
        int[] slots = new int[capacity]; // element index + 1; 0 = empty
        int mask = capacity - 1;
        long dupElements = 0;
        long dupChars = 0;
        for (int i = 0; i < n; i++) {
            String e = elements.get(i);
            int h = e.hashCode();
            int slot = (h ^ (h >>> 16)) & mask;
            boolean seen = false;
            while (slots[slot] != 0) {
                if (elements.get(slots[slot] - 1).equals(e)) {
                    seen = true;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            if (seen) {
                dupElements++;
                dupChars += TextLines.len(e);
            } else {
                slots[slot] = i + 1;
            }
        }
        return new long[] {dupElements, dupChars};
    }

    /**
     * Words as 64-bit hashes plus code-point lengths, so n-grams are compared by a combined hash instead of by
     * building joined strings (the filter's hot spot). A 64-bit collision among one document's n-grams is
     * negligible. One deliberate difference from datatrove: it joins duplicate n-grams without a separator, so
     * ("ab", "c") and ("a", "bc") collide there; here they are different n-grams.
     */
    record Words(long[] hashes, int[] lengths) {
        /** Odd multiplier of the n-gram hash (the golden-ratio constant). */
        private static final long GRAM_BASE = 0x9e3779b97f4a7c15L;

        static Words of(List<String> words) {
            long[] h = new long[words.size()];
            int[] l = new int[words.size()];
            for (int i = 0; i < h.length; i++) {
                h[i] = Hashing.hash64(words.get(i));
                l[i] = TextLines.len(words.get(i));
            }
            return new Words(h, l);
        }

        static Words of(WordSpans words) {
            long[] h = new long[words.size()];
            int[] l = new int[words.size()];
            for (int i = 0; i < h.length; i++) {
                h[i] = words.hash64(i);
                l[i] = words.codePoints(i);
            }
            return new Words(h, l);
        }

        int size() {
            return hashes.length;
        }

        /**
         * Hashes of all n-grams, by start: a polynomial (Rabin–Karp) hash of the word hashes mod 2^64, rolled in
         * O(1) per position instead of re-hashing n words at every start. Two different n-grams (n &le; 10) of
         * pseudo-random 64-bit word hashes collide with probability about 2^-64 (the structured collisions of
         * polynomial hashing mod 2^64, e.g. Thue–Morse strings, need n in the hundreds).
         */
        long[] gramHashes(int n) {
            int count = Math.max(0, hashes.length - n + 1);
            long[] out = new long[count];
            if (count == 0) {
                return out;
            }
            long top = 1; // P^(n-1)
            long h = 0;
            for (int k = 0; k < n; k++) {
                h = h * GRAM_BASE + hashes[k];
                top = k == 0 ? 1 : top * GRAM_BASE;
            }
            out[0] = h;
            for (int i = 1; i < count; i++) {
                h = (h - hashes[i - 1] * top) * GRAM_BASE + hashes[i + n - 1];
                out[i] = h;
            }
            return out;
        }

        int gramChars(int start, int n) {
            int c = 0;
            for (int i = start; i < start + n; i++) {
                c += lengths[i];
            }
            return c;
        }
    }

    /** Characters covered by the most frequent n-gram: its length (space-joined) times its count. */
    static long topNGramChars(List<String> words, int n) {
        return topNGramChars(Words.of(words), n);
    }

    static long topNGramChars(Words w, int n) {
        return topNGramChars(w, n, new NGramTable(w.size()));
    }

    static long topNGramChars(Words w, int n, NGramTable counts) {
        counts.clear();
        long[] grams = w.gramHashes(n);
        for (int i = 0; i < grams.length; i++) {
            counts.count(grams[i], i);
        }
        int best = counts.mostFrequent(); // first seen wins ties, like Counter.most_common
        return best < 0 ? 0 : (long) (w.gramChars(counts.firstStart(best), n) + n - 1) * counts.count(best);
    }

    /** Characters in repeated n-grams (joined without spaces), scanning greedily and skipping past each repeat. */
    static long duplicateNGramChars(List<String> words, int n) {
        return duplicateNGramChars(Words.of(words), n);
    }

    static long duplicateNGramChars(Words w, int n) {
        return duplicateNGramChars(w, n, new NGramTable(w.size()));
    }

    static long duplicateNGramChars(Words w, int n, NGramTable seen) {
        seen.clear();
        long[] grams = w.gramHashes(n);
        long repeated = 0;
        int i = 0;
        while (i < grams.length) {
            if (seen.count(grams[i], i) > 1) {
                repeated += w.gramChars(i, n);
                i += n;
            } else {
                i++;
            }
        }
        return repeated;
    }

    @Override
    public Verdict process(Document doc) {
        String text = doc.text();
        if (text.isEmpty()) {
            return Verdict.keep(doc); // every fraction is 0/0; nothing repeats
        }
        double len = TextLines.len(text);
        List<String> paragraphs = TextLines.splitOnRuns(TextLines.strip(text), '\n', 2);
        long[] para = duplicates(paragraphs);
        if (config.dupParaFrac() > 0 && (double) para[0] / paragraphs.size() > config.dupParaFrac()) {
            return Verdict.remove("dup_para_frac");
        }
        if (config.dupParaCharFrac() > 0 && para[1] / len > config.dupParaCharFrac()) {
            return Verdict.remove("dup_para_char_frac");
        }
        List<String> lines = TextLines.splitOnRuns(text, '\n', 1);
        long[] line = duplicates(lines);
        if (config.dupLineFrac() > 0 && (double) line[0] / lines.size() > config.dupLineFrac()) {
            return Verdict.remove("dup_line_frac");
        }
        if (config.dupLineCharFrac() > 0 && line[1] / len > config.dupLineCharFrac()) {
            return Verdict.remove("dup_line_char_frac");
        }
        Words words = Words.of(WordTokenizer.spans(text));
        NGramTable table = new NGramTable(words.size());
        // smallest n known to have no n-gram occurring twice: then no longer n-gram does either (each contains one),
        // and the greedy duplicate scan finds nothing for it, so those scans are skipped
        int noRepeatFrom = Integer.MAX_VALUE;
        for (NGramLimit l : config.topNGrams()) {
            if (words.size() >= l.n()) {
                long chars = topNGramChars(words, l.n(), table);
                if (table.maxCount() <= 1) {
                    noRepeatFrom = Math.min(noRepeatFrom, l.n());
                }
                if (chars / len > l.maxFraction()) {
                    return Verdict.remove("top_" + l.n() + "_gram");
                }
            }
        }
        for (NGramLimit l : config.dupNGrams()) {
            long chars = l.n() >= noRepeatFrom ? 0 : duplicateNGramChars(words, l.n(), table);
            if (chars == 0) {
                noRepeatFrom = Math.min(noRepeatFrom, l.n());
            }
            if (chars / len > l.maxFraction()) {
                return Verdict.remove("duplicated_" + l.n() + "_n_grams");
            }
        }
        return Verdict.keep(doc);
    }
}
