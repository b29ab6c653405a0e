package org.llama3j.data.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.llama3j.data.Document;
import org.llama3j.data.step.Verdict;

class C4QualityFilterTest {

    private static final C4QualityFilter C4 = new C4QualityFilter(C4QualityFilter.Config.DEFAULTS);

    private static final String PAGE = String.join("\n",
            "First line is fine here.",
            "No punctuation at the end",
            "Short line.",
            "Javascript is required to view this page.",
            "See our privacy policy for more details.",
            "This goes on and on...",
            "  The cat sat on the mat. It was happy!  ",
            "Another good line of text [1].",
            "A third proper sentence here.",
            "Fourth proper sentence here?");

    static String reason(String text) {
        return switch (C4.process(new Document("d", text))) {
            case Verdict.Keep k -> "keep";
            case Verdict.Remove r -> r.reason();
        };
    }

    @Test
    void keepsOnlyQualifyingLines() {
        Verdict v = C4.process(new Document("d", PAGE));
        // kept: line 1 (1 sentence), the cat line (2), the citation line (1), third (1), fourth (1) = 6 >= 5
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, v);
        assertEquals(String.join("\n",
                "First line is fine here.",
                "The cat sat on the mat. It was happy!",
                "Another good line of text .",
                "A third proper sentence here.",
                "Fourth proper sentence here?"), k.document().text());
    }

    @Test
    void fewerThanFiveSentencesDropsThePage() {
        String fourSentences = PAGE.replace("\nA third proper sentence here.", "").replace("\nFourth proper sentence here?", "");
        assertEquals("too_few_sentences", reason(fourSentences)); // 1 + 2 + 1 = 4
    }

    @Test
    void loremIpsumAndCurlyBracketDropThePage() {
        assertEquals("lorem_ipsum", reason(PAGE + "\nLorem ipsum dolor sit amet."));
        assertEquals("curly_bracket", reason(PAGE + "\nvar x = { a: 1 }."));
        // a curly bracket on a line that is dropped earlier (no terminal punctuation) does not count
        assertEquals("keep", reason(PAGE + "\nvar x = { a: 1 }"));
    }

    @Test
    void tooLongWordDropsTheLine() {
        String longWord = "x".repeat(1001);
        assertEquals("keep", reason(PAGE + "\nA line with " + longWord + " in it."));
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, C4.process(new Document("d", PAGE + "\nA line with " + longWord + " in it.")));
        assertEquals(false, k.document().text().contains(longWord));
    }

    @Test
    void sentenceCounting() {
        assertEquals(1, C4QualityFilter.sentences("No terminator here"));
        assertEquals(2, C4QualityFilter.sentences("One. Two!"));
        assertEquals(1, C4QualityFilter.sentences("Version 1.5 is out."));
    }

    @Test
    void noBreakSpacesAreStrippedLikePython() {
        // Python's str.strip() removes U+00A0, so a line ending in ".\u00a0" still ends in terminal punctuation
        String nbsp = PAGE.replace("A third proper sentence here.", "A third proper sentence here.\u00a0");
        Verdict.Keep k = assertInstanceOf(Verdict.Keep.class, C4.process(new Document("d", nbsp)));
        assertEquals(true, k.document().text().contains("A third proper sentence here.\nFourth"));
    }
}
