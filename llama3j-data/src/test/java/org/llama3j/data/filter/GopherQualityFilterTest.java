package org.llama3j.data.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llama3j.data.Document;
import org.llama3j.data.step.Verdict;

class GopherQualityFilterTest {

    private static final GopherQualityFilter DEFAULT = new GopherQualityFilter(GopherQualityFilter.Config.DEFAULTS);

    static String words(String w, int n) {
        return String.join(" ", java.util.Collections.nCopies(n, w));
    }

    static String verdict(GopherQualityFilter f, String text) {
        return switch (f.process(new Document("d", text))) {
            case Verdict.Keep k -> "keep";
            case Verdict.Remove r -> r.reason();
        };
    }

    @Test
    void wordCountBoundsUseNonSymbolWords() {
        assertEquals("gopher_short_doc", verdict(DEFAULT, words("that", 49)));
        assertEquals("keep", verdict(DEFAULT, words("that", 50)));
        // 49 words plus a lone "#" token: the symbol token does not count toward the 50
        assertEquals("gopher_short_doc", verdict(DEFAULT, words("that", 49) + " #"));
        var cfg = new GopherQualityFilter.Config(50, 60, 3, 10, 0.1, 0.9, 0.3, 0.8, 2,
                GopherQualityFilter.Config.DEFAULTS.stopWords());
        assertEquals("gopher_long_doc", verdict(new GopherQualityFilter(cfg), words("that", 61)));
        assertEquals("keep", verdict(new GopherQualityFilter(cfg), words("that", 60)));
    }

    @Test
    void meanWordLengthBetween3And10() {
        assertEquals("gopher_below_avg_threshold", verdict(DEFAULT, words("ab", 50))); // mean 2
        assertEquals("gopher_above_avg_threshold", verdict(DEFAULT, words("abcdefghijk", 50))); // mean 11
        // mean exactly 10 passes the length rule and then fails for lack of stop words
        assertEquals("gopher_enough_stop_words", verdict(DEFAULT, words("abcdefghij", 50)));
    }

    @Test
    void hashRatioAbove0point1() {
        // 50 words + 6 "#" tokens: 6/56 = 0.107 > 0.1
        assertEquals("gopher_too_many_hashes", verdict(DEFAULT, words("that", 50) + " " + words("#", 6)));
        // 5/55 = 0.0909
        assertEquals("keep", verdict(DEFAULT, words("that", 50) + " " + words("#", 5)));
    }

    @Test
    void ellipsisRatioCountsBothForms() {
        // 50 words + 3 "..." + 3 "\u2026" tokens: 6/56 > 0.1
        assertEquals("gopher_too_many_ellipsis",
                verdict(DEFAULT, words("that", 50) + " ... ... ... \u2026 \u2026 \u2026"));
    }

    @Test
    void bulletLinesAbove90Percent() {
        String bullet = "- that that that that that";
        String plain = "that that that that that";
        // 10 of 10 lines start with a bullet: 1.0 > 0.9
        assertEquals("gopher_too_many_bullets", verdict(DEFAULT, String.join("\n", java.util.Collections.nCopies(10, bullet))));
        // 9 of 10 lines: 0.9 is not > 0.9; alpha ratio 50/59 = 0.847 passes
        List<String> lines = new java.util.ArrayList<>(java.util.Collections.nCopies(9, bullet));
        lines.add(plain);
        assertEquals("keep", verdict(DEFAULT, String.join("\n", lines)));
        // lines indented with no-break spaces count too (Python's lstrip removes U+00A0)
        assertEquals("gopher_too_many_bullets", verdict(DEFAULT,
                String.join("\n", java.util.Collections.nCopies(10, "\u00a0- that that that that that"))));
        // the bullet character counts as well
        assertEquals("gopher_too_many_bullets", verdict(DEFAULT,
                String.join("\n", java.util.Collections.nCopies(10, "  \u2022 that that that that that"))));
    }

    @Test
    void ellipsisLinesAbove30Percent() {
        var noSymbolRule = new GopherQualityFilter(new GopherQualityFilter.Config(50, 100_000, 3, 10, 0, 0.9, 0.3, 0.8, 2,
                GopherQualityFilter.Config.DEFAULTS.stopWords()));
        String plain = "that that that that that";
        String trailing = "that that that that that...";
        List<String> four = new java.util.ArrayList<>(java.util.Collections.nCopies(4, trailing));
        four.addAll(java.util.Collections.nCopies(6, plain));
        assertEquals("gopher_too_many_end_ellipsis", verdict(noSymbolRule, String.join("\n", four))); // 0.4
        List<String> three = new java.util.ArrayList<>(java.util.Collections.nCopies(3, trailing));
        three.addAll(java.util.Collections.nCopies(7, plain));
        assertEquals("keep", verdict(noSymbolRule, String.join("\n", three))); // 0.3 is not > 0.3
    }

    @Test
    void eightyPercentOfWordsNeedALetter() {
        assertEquals("gopher_below_alpha_threshold", verdict(DEFAULT, words("that", 50) + " " + words("1234", 13))); // 50/63
        assertEquals("keep", verdict(DEFAULT, words("that", 50) + " " + words("1234", 12))); // 50/62
    }

    @Test
    void atLeastTwoStopWords() {
        assertEquals("gopher_enough_stop_words", verdict(DEFAULT, words("cats", 50) + " the"));
        assertEquals("keep", verdict(DEFAULT, words("cats", 50) + " the and"));
    }
}
