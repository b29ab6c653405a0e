package org.llama3j.data.filter;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;
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

    /** Characters covered by the most frequent n-gram: its length (space-joined) times its count. */
    static long topNGramChars(List<String> words, int n) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            counts.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
        }
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) { // first inserted wins ties, like Counter.most_common
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best == null ? 0 : (long) TextLines.len(best) * bestCount;
    }

    /** Characters in repeated n-grams, scanning greedily and skipping past each repeat. */
    static long duplicateNGramChars(List<String> words, int n) {
        Set<String> seen = new HashSet<>();
        long repeated = 0;
        int i = 0;
        while (i < words.size() - n + 1) {
            String g = String.join("", words.subList(i, i + n));
            if (seen.contains(g)) {
                repeated += TextLines.len(g);
                i += n;
            } else {
                seen.add(g);
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
        List<String> paragraphs = List.of(PARAGRAPHS.split(text.strip(), -1));
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
        List<String> words = WordTokenizer.words(text);
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
