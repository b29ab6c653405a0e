package org.llama3j.data.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.llama3j.data.Document;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.TextLines;

/**
 * C4's line and page heuristics (Raffel et al. 2020, section 2.2; tensorflow_datasets c4_utils.py), in the
 * order and with the defaults of datatrove's {@code pipeline/filters/c4_filters.py} (C4QualityFilter):
 * per stripped line: drop lines with a word longer than {@code maxWordLength}, strip wiki citations,
 * drop lines not ending in terminal punctuation (or ending in "..."), drop lines with fewer than
 * {@code minWordsPerLine} words, drop the page on "lorem ipsum", drop lines mentioning javascript, drop the page
 * on a curly bracket, drop policy/cookie lines; finally drop the page with fewer than {@code minNumSentences}
 * sentences in the kept lines. Kept lines are rejoined with '\n'.
 * <p>datatrove counts sentences with NLTK's punkt; we count runs of [.!?] followed by whitespace or the end
 * of the line (at least one per kept line, since kept lines end in terminal punctuation).
 * Integer thresholds of -1 disable their rule.
 */
public final class C4QualityFilter implements DocumentStep {

    public record Config(boolean removeCitations, boolean filterNoTerminalPunct, int minNumSentences,
                         int minWordsPerLine, int maxWordLength, boolean filterLoremIpsum,
                         boolean filterJavascript, boolean filterCurlyBracket, boolean filterPolicy) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config(true, true, 5, 3, 1000, true, true, true, true);
    }

    private static final Pattern CITATION = Pattern.compile("\\[\\d*]|\\[edit]|\\[citation needed]");
    /** datatrove's end punctuation: . ? ! " ' */
    private static final String END_PUNCTUATION = ".?!\"'";
    /** datatrove POLICY_SUBSTRINGS. */
    private static final List<String> POLICY = List.of("terms of use", "privacy policy", "cookie policy",
            "uses cookies", "use of cookies", "use cookies");

    private final Config config;

    public C4QualityFilter(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "c4_quality";
    }

    /**
     * Matches of the regex {@code [.!?]+(?=\s|$)} in a line, at least 1: maximal runs of . ! ? followed by the line's
     * end or Java regex whitespace ({@code [ \t\n\x0B\f\r]}), counted without the regex engine (a hot spot).
     */
    static int sentences(String line) {
        int n = 0;
        int len = line.length();
        int i = 0;
        while (i < len) {
            if (!isSentenceEnd(line.charAt(i))) {
                i++;
                continue;
            }
            int j = i;
            while (j < len && isSentenceEnd(line.charAt(j))) {
                j++;
            }
            if (j == len || isRegexSpace(line.charAt(j))) {
                n++;
            }
            i = j;
        }
        return Math.max(1, n);
    }

    private static boolean isSentenceEnd(char c) {
        return c == '.' || c == '!' || c == '?';
    }

    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    @Override
    public Verdict process(Document doc) {
        int numSentences = 0;
        List<String> kept = new ArrayList<>();
        for (String raw : TextLines.splitLines(doc.text())) {
            String line = TextLines.strip(raw);
            int words = wordsUnlessLonger(line, config.maxWordLength());
            if (words < 0) {
                continue;
            }
            if (config.removeCitations() && line.indexOf('[') >= 0) {
                line = CITATION.matcher(line).replaceAll("");
            }
            if (config.filterNoTerminalPunct() && (!endsWithTerminal(line) || line.endsWith("..."))) {
                continue;
            }
            if (words < config.minWordsPerLine()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (config.filterLoremIpsum() && lower.contains("lorem ipsum")) {
                return Verdict.remove("lorem_ipsum");
            }
            if (config.filterJavascript() && lower.contains("javascript")) {
                continue;
            }
            if (config.filterCurlyBracket() && line.indexOf('{') >= 0) {
                return Verdict.remove("curly_bracket");
            }
            if (config.filterPolicy() && containsPolicy(lower)) {
                continue;
            }
            numSentences += sentences(line);
            kept.add(line);
        }
        if (numSentences < config.minNumSentences()) {
            return Verdict.remove("too_few_sentences");
        }
        String text = TextLines.strip(String.join("\n", kept));
        // the same instance when nothing changed, so later filters reuse its tokenization (WordTokenizer.spans)
        return Verdict.keep(text.equals(doc.text()) ? doc : doc.withText(text));
    }

    private static boolean endsWithTerminal(String line) {
        return !line.isEmpty() && END_PUNCTUATION.indexOf(line.charAt(line.length() - 1)) >= 0;
    }

    private static boolean containsPolicy(String lower) {
        for (String p : POLICY) {
            if (lower.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Python's {@code len(line.split())}, or -1 when a word is longer than {@code maxLength} code points
     * ({@code maxLength} -1: no limit); counted without splitting the line into strings.
     */
    static int wordsUnlessLonger(String line, int maxLength) {
        int words = 0;
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && TextLines.isSpace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !TextLines.isSpace(line.charAt(i))) {
                i++;
            }
            if (start < i) {
                words++;
                if (maxLength != -1 && i - start > maxLength && line.codePointCount(start, i) > maxLength) {
                    return -1;
                }
            }
        }
        return words;
    }
}
