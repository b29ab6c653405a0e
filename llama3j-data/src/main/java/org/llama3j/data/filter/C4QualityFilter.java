package org.llama3j.data.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
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
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+(?=\\s|$)");
    private static final List<String> END_PUNCTUATION = List.of(".", "?", "!", "\"", "'");
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

    static int sentences(String line) {
        Matcher m = SENTENCE_END.matcher(line);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return Math.max(1, n);
    }

    @Override
    public Verdict process(Document doc) {
        int numSentences = 0;
        List<String> kept = new ArrayList<>();
        for (String raw : TextLines.splitLines(doc.text())) {
            String line = TextLines.strip(raw);
            List<String> words = TextLines.splitWhitespace(line);
            if (config.maxWordLength() != -1 && anyLongerThan(words, config.maxWordLength())) {
                continue;
            }
            if (config.removeCitations()) {
                line = CITATION.matcher(line).replaceAll("");
            }
            if (config.filterNoTerminalPunct() && (END_PUNCTUATION.stream().noneMatch(line::endsWith) || line.endsWith("..."))) {
                continue;
            }
            if (words.size() < config.minWordsPerLine()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (config.filterLoremIpsum() && lower.contains("lorem ipsum")) {
                return Verdict.remove("lorem_ipsum");
            }
            if (config.filterJavascript() && lower.contains("javascript")) {
                continue;
            }
            if (config.filterCurlyBracket() && line.contains("{")) {
                return Verdict.remove("curly_bracket");
            }
            if (config.filterPolicy() && POLICY.stream().anyMatch(lower::contains)) {
                continue;
            }
            numSentences += sentences(line);
            kept.add(line);
        }
        if (numSentences < config.minNumSentences()) {
            return Verdict.remove("too_few_sentences");
        }
        return Verdict.keep(doc.withText(TextLines.strip(String.join("\n", kept))));
    }

    private static boolean anyLongerThan(List<String> words, int max) {
        for (String w : words) {
            if (TextLines.len(w) > max) {
                return true;
            }
        }
        return false;
    }
}
