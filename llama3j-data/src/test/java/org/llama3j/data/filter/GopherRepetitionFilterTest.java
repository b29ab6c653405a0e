package org.llama3j.data.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llama3j.data.Document;
import org.llama3j.data.step.Verdict;

class GopherRepetitionFilterTest {

    private static final GopherRepetitionFilter DEFAULT = new GopherRepetitionFilter(GopherRepetitionFilter.Config.DEFAULTS);

    static String verdict(GopherRepetitionFilter f, String text) {
        return switch (f.process(new Document("d", text))) {
            case Verdict.Keep k -> "keep";
            case Verdict.Remove r -> r.reason();
        };
    }

    @Test
    void helpersMatchHandCounts() {
        assertArrayEquals(new long[] {2, 2}, GopherRepetitionFilter.duplicates(List.of("a", "b", "a", "a")));
        // "a b" occurs 3 times among the 2-grams of a b a b a b: 3 chars x 3
        assertEquals(9, GopherRepetitionFilter.topNGramChars(List.of("a", "b", "a", "b", "a", "b"), 2));
        // abc, bca, cab new; abc repeat (+3, jump to 6); abc repeat (+3, jump to 9)
        assertEquals(6, GopherRepetitionFilter.duplicateNGramChars(
                List.of("a", "b", "c", "a", "b", "c", "a", "b", "c"), 3));
        // ties go to the first n-gram seen (Counter.most_common): "bb" and "a" both occur twice -> "bb" x 2 = 4
        assertEquals(4, GopherRepetitionFilter.topNGramChars(List.of("bb", "a", "a", "bb"), 1));
    }

    @Test
    void duplicateParagraphFraction() {
        // 4 paragraphs, 2 are repeats: 0.5 > 0.3
        assertEquals("dup_para_frac", verdict(DEFAULT, "p one\n\np two\n\np one\n\np one"));
    }

    @Test
    void duplicateLineFraction() {
        // lines x, y, x, x: 2 of 4 repeat
        assertEquals("dup_line_frac", verdict(DEFAULT, "x\ny\nx\nx"));
    }

    @Test
    void duplicateLineCharFraction() {
        // 1 of 4 lines repeats (0.25 <= 0.3) but it holds 24 of 53 characters (0.45 > 0.2)
        String l = "a long line of text here";
        assertEquals("dup_line_char_frac", verdict(DEFAULT, l + "\nb\nc\n" + l));
    }

    @Test
    void topTwoGramFraction() {
        // 12 two-letter words, 35 chars; "aa bb" occurs twice: 10/35 = 0.286 > 0.20
        assertEquals("top_2_gram", verdict(DEFAULT, "aa bb aa bb cc dd ee ff gg hh ii jj"));
    }

    @Test
    void duplicateFiveGramFraction() {
        var onlyDupNGrams = new GopherRepetitionFilter(new GopherRepetitionFilter.Config(0, 0, 0, 0, List.of(),
                GopherRepetitionFilter.Config.DEFAULTS.dupNGrams()));
        StringBuilder sb = new StringBuilder();
        for (int i = 10; i < 50; i++) {
            sb.append('w').append(i).append(' ');
        }
        String phrase = "alpha beta gamma delta epsilon";
        // two copies: the repeat covers "alphabetagammadeltaepsilon" = 26 of 221 chars = 0.118 <= 0.15
        String two = sb + phrase + " " + phrase;
        assertEquals(221, two.length());
        assertEquals("keep", verdict(onlyDupNGrams, two));
        // three copies: 52 of 252 chars = 0.206 > 0.15
        String three = two + " " + phrase;
        assertEquals(252, three.length());
        assertEquals("duplicated_5_n_grams", verdict(onlyDupNGrams, three));
    }

    @Test
    void ordinaryProseIsKept() {
        assertEquals("keep", verdict(DEFAULT, "The quick brown fox jumps over the lazy dog.\n"
                + "A stitch in time saves nine, or so the saying goes.\n\n"
                + "Every paragraph here differs from the others in its words."));
    }
}
