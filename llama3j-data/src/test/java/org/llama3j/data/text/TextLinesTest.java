package org.llama3j.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are what CPython 3 returns for the same calls. */
class TextLinesTest {

    @Test
    void splitLinesMatchesPython() {
        // "a\r\nb\rc\nd\x1ce\u2028f\n".splitlines() == ['a', 'b', 'c', 'd', 'e', 'f']
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), TextLines.splitLines("a\r\nb\rc\nd\u001ce\u2028f\n"));
        assertEquals(List.of(), TextLines.splitLines(""));
        assertEquals(List.of("", "x"), TextLines.splitLines("\nx"));
        // "a\n\nb\n".split("\n") == ['a', '', 'b', '']
        assertEquals(List.of("a", "", "b", ""), TextLines.splitOnNewline("a\n\nb\n"));
    }

    @Test
    void whitespaceIncludesNoBreakSpacesLikePython() {
        // "\xa0 a b\u202f\x85".strip() == 'a b'; "\xa0".isspace() is True
        assertEquals("a b", TextLines.strip("\u00a0 a b\u202f\u0085"));
        assertEquals("a b\u00a0", TextLines.stripLeading("\u2007a b\u00a0"));
        assertTrue(TextLines.isBlank("\u00a0\t"));
        assertFalse(TextLines.isBlank("\u200b")); // zero-width space is not whitespace in Python either
        // "x\xa0y  z".split() == ['x', 'y', 'z']
        assertEquals(List.of("x", "y", "z"), TextLines.splitWhitespace("x\u00a0y  z"));
        assertEquals(3, TextLines.count("......x...", "..."));
        assertEquals(2, TextLines.len("\uD83D\uDE00a")); // len("😀a") == 2
    }

    @Test
    void wordTokenizerPeelsPunctuation() {
        assertEquals(List.of("Hello", ",", "world", "..."), WordTokenizer.words("Hello, world..."));
        assertEquals(List.of("#", "tag", "(", "x", ")."), WordTokenizer.words("#tag (x)."));
        assertEquals(List.of("don't", "stop"), WordTokenizer.words("don't\u00a0stop"));
    }
}
