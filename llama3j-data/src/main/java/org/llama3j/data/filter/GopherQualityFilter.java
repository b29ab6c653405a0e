package org.llama3j.data.filter;

import java.util.List;
import java.util.Set;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.TextLines;
import org.llama3j.data.text.WordSpans;
import org.llama3j.data.text.WordTokenizer;

/**
 * Gopher quality heuristics (Rae et al. 2021, "Scaling Language Models: Methods, Analysis &amp; Insights from
 * Training Gopher", appendix A.1.1). Semantics and reason names follow datatrove's
 * {@code pipeline/filters/gopher_quality_filter.py}: word counts and mean word length use non-symbol words
 * only; the hash/ellipsis ratio and alphabetic ratio divide by all words. A threshold of 0 disables its rule.
 */
public final class GopherQualityFilter implements DocumentStep {

    /**
     * @param maxNonAlphaWordsRatio despite datatrove's name, the <em>minimum</em> fraction of words with a letter
     */
    public record Config(int minDocWords, int maxDocWords, double minAvgWordLength, double maxAvgWordLength,
                         double maxSymbolWordRatio, double maxBulletLinesRatio, double maxEllipsisLinesRatio,
                         double maxNonAlphaWordsRatio, int minStopWords, List<String> stopWords) implements java.io.Serializable {
        /** datatrove defaults = Gopher paper values. */
        public static final Config DEFAULTS = new Config(50, 100_000, 3, 10, 0.1, 0.9, 0.3, 0.8, 2,
                List.of("the", "be", "to", "of", "and", "that", "have", "with"));

        public Config {
            stopWords = List.copyOf(stopWords);
        }
    }

    private final Config config;
    private final Set<String> stopWords;
    /** UTF-16 length range of the stop words: other words are not looked up. */
    private final int minStopWordLength;
    private final int maxStopWordLength;

    public GopherQualityFilter(Config config) {
        this.config = config;
        this.stopWords = Set.copyOf(config.stopWords());
        this.minStopWordLength = stopWords.stream().mapToInt(String::length).min().orElse(0);
        this.maxStopWordLength = stopWords.stream().mapToInt(String::length).max().orElse(-1);
    }

    @Override
    public String name() {
        return "gopher_quality";
    }

    @Override
    public Verdict process(Document doc) {
        String text = doc.text();
        WordSpans words = WordTokenizer.spans(text);
        int nWords = words.size();
        long nonSymbol = 0;
        long nonSymbolChars = 0;
        for (int i = 0; i < nWords; i++) {
            if (words.hasNonPunctuation(i)) {
                nonSymbol++;
                nonSymbolChars += words.codePoints(i);
            }
        }
        if (config.minDocWords() > 0 && nonSymbol < config.minDocWords()) {
            return Verdict.remove("gopher_short_doc");
        }
        if (config.maxDocWords() > 0 && nonSymbol > config.maxDocWords()) {
            return Verdict.remove("gopher_long_doc");
        }
        if (nonSymbol > 0) { // numpy's mean of nothing is NaN, which fails no comparison
            double avg = (double) nonSymbolChars / nonSymbol;
            if (config.minAvgWordLength() > 0 && avg < config.minAvgWordLength()) {
                return Verdict.remove("gopher_below_avg_threshold");
            }
            if (config.maxAvgWordLength() > 0 && avg > config.maxAvgWordLength()) {
                return Verdict.remove("gopher_above_avg_threshold");
            }
        }
        if (nWords > 0 && config.maxSymbolWordRatio() > 0) {
            if ((double) TextLines.count(text, "#") / nWords > config.maxSymbolWordRatio()) {
                return Verdict.remove("gopher_too_many_hashes");
            }
            int ellipses = TextLines.count(text, "...") + TextLines.count(text, "\u2026");
            if ((double) ellipses / nWords > config.maxSymbolWordRatio()) {
                return Verdict.remove("gopher_too_many_ellipsis");
            }
        }
        List<String> lines = TextLines.splitLines(text);
        if (!lines.isEmpty()) {
            long bullets = 0;
            long ellipsisLines = 0;
            for (String line : lines) {
                int first = TextLines.firstNonSpace(line);
                if (line.startsWith("\u2022", first) || line.startsWith("-", first)) {
                    bullets++;
                }
                int end = TextLines.lastNonSpace(line) + 1;
                if (line.startsWith("...", end - 3) || line.startsWith("\u2026", end - 1)) {
                    ellipsisLines++;
                }
            }
            if (config.maxBulletLinesRatio() > 0 && (double) bullets / lines.size() > config.maxBulletLinesRatio()) {
                return Verdict.remove("gopher_too_many_bullets");
            }
            if (config.maxEllipsisLinesRatio() > 0
                    && (double) ellipsisLines / lines.size() > config.maxEllipsisLinesRatio()) {
                return Verdict.remove("gopher_too_many_end_ellipsis");
            }
        }
        if (nWords > 0 && config.maxNonAlphaWordsRatio() > 0) {
            long alpha = 0;
            for (int i = 0; i < nWords; i++) {
                if (words.hasLetter(i)) {
                    alpha++;
                }
            }
            if ((double) alpha / nWords < config.maxNonAlphaWordsRatio()) {
                return Verdict.remove("gopher_below_alpha_threshold");
            }
        }
        if (config.minStopWords() > 0 && stopWordsAtLeast(words, config.minStopWords()) < config.minStopWords()) {
            return Verdict.remove("gopher_enough_stop_words");
        }
        return Verdict.keep(doc);
    }

    /** Stop-word occurrences, counted only until {@code enough} (all the rule needs to know). */
    private int stopWordsAtLeast(WordSpans words, int enough) {
        int found = 0;
        for (int i = 0; i < words.size() && found < enough; i++) {
            int len = words.end(i) - words.start(i);
            if (len >= minStopWordLength && len <= maxStopWordLength && stopWords.contains(words.word(i))) {
                found++;
            }
        }
        return found;
    }
}
