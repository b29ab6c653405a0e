package org.llama3j.data.filter;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.Hashing;
import org.llama3j.data.text.TextLines;
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

    private static final Pattern PARAGRAPHS = Pattern.compile("\n{2,}");
    private static final Pattern LINES = Pattern.compile("\n+");

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
        Set<String> seen = new HashSet<>();
        long dupElements = 0;
        long dupChars = 0;
        for (String e : elements) {
            if (!seen.add(e)) {
                dupElements++;
                dupChars += TextLines.len(e);
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
        static Words of(List<String> words) {
            long[] h = new long[words.size()];
            int[] l = new int[words.size()];
            for (int i = 0; i < h.length; i++) {
                h[i] = Hashing.hash64(words.get(i));
                l[i] = TextLines.len(words.get(i));
            }
            return new Words(h, l);
        }

        int size() {
            return hashes.length;
        }

        long gramHash(int start, int n) {
            long g = n;
            for (int i = start; i < start + n; i++) {
                g = Hashing.mix64(g * 0x9e3779b97f4a7c15L + hashes[i]);
            }
            return g;
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
        Map<Long, int[]> counts = new LinkedHashMap<>(); // hash -> {count, first start}
        for (int i = 0; i + n <= w.size(); i++) {
            int start = i;
            counts.computeIfAbsent(w.gramHash(i, n), k -> new int[] {0, start})[0]++;
        }
        int bestCount = 0;
        int bestStart = -1;
        for (int[] c : counts.values()) { // first inserted wins ties, like Counter.most_common
            if (c[0] > bestCount) {
                bestCount = c[0];
                bestStart = c[1];
            }
        }
        return bestStart < 0 ? 0 : (long) (w.gramChars(bestStart, n) + n - 1) * bestCount;
    }

    /** Characters in repeated n-grams (joined without spaces), scanning greedily and skipping past each repeat. */
    static long duplicateNGramChars(List<String> words, int n) {
        return duplicateNGramChars(Words.of(words), n);
    }

    static long duplicateNGramChars(Words w, int n) {
        Set<Long> seen = new HashSet<>();
        long repeated = 0;
        int i = 0;
        while (i < w.size() - n + 1) {
            if (!seen.add(w.gramHash(i, n))) {
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
        List<String> paragraphs = List.of(PARAGRAPHS.split(TextLines.strip(text), -1));
        long[] para = duplicates(paragraphs);
        if (config.dupParaFrac() > 0 && (double) para[0] / paragraphs.size() > config.dupParaFrac()) {
            return Verdict.remove("dup_para_frac");
        }
        if (config.dupParaCharFrac() > 0 && para[1] / len > config.dupParaCharFrac()) {
            return Verdict.remove("dup_para_char_frac");
        }
        List<String> lines = List.of(LINES.split(text, -1));
        long[] line = duplicates(lines);
        if (config.dupLineFrac() > 0 && (double) line[0] / lines.size() > config.dupLineFrac()) {
            return Verdict.remove("dup_line_frac");
        }
        if (config.dupLineCharFrac() > 0 && line[1] / len > config.dupLineCharFrac()) {
            return Verdict.remove("dup_line_char_frac");
        }
        Words words = Words.of(WordTokenizer.words(text));
        for (NGramLimit l : config.topNGrams()) {
            if (words.size() >= l.n() && topNGramChars(words, l.n()) / len > l.maxFraction()) {
                return Verdict.remove("top_" + l.n() + "_gram");
            }
        }
        for (NGramLimit l : config.dupNGrams()) {
            if (duplicateNGramChars(words, l.n()) / len > l.maxFraction()) {
                return Verdict.remove("duplicated_" + l.n() + "_n_grams");
            }
        }
        return Verdict.keep(doc);
    }
}
