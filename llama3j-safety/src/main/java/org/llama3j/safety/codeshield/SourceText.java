package org.llama3j.safety.codeshield;

import java.util.Arrays;
import java.util.List;

/**
 * Scanned text with its tokens, per-character regions (code / string / comment), a copy with
 * comments blanked (same offsets) for regex rules, and line/column lookup.
 */
final class SourceText {
    private final String text;
    private final String commentsBlanked;
    private final byte[] regions;
    private final List<Token> tokens;
    private final int[] lineStarts;
    /** Offset of this text inside the document the caller gave (Markdown blocks), and its first line. */
    private final int firstLine;
    private String lowerCase;
    private List<CallSite> callSites;
    private int[] bracketPartners;

    SourceText(String text, Language language, int firstLine, ScanDeadline deadline) {
        this.text = text;
        this.firstLine = firstLine;
        Tokenizer.Lexed lexed = Tokenizer.tokenize(text, language.syntax(), deadline);
        this.tokens = lexed.tokens();
        this.regions = lexed.regions();
        char[] blank = text.toCharArray();
        for (int k = 0; k < blank.length; k++) {
            if (regions[k] == Tokenizer.COMMENT && blank[k] != '\n') {
                blank[k] = ' ';
            }
        }
        this.commentsBlanked = new String(blank);
        int count = 1;
        for (int k = 0; k < text.length(); k++) {
            if (text.charAt(k) == '\n') {
                count++;
            }
        }
        lineStarts = new int[count];
        int li = 1;
        for (int k = 0; k < text.length(); k++) {
            if (text.charAt(k) == '\n') {
                lineStarts[li++] = k + 1;
            }
        }
    }

    String text() {
        return text;
    }

    int[] bracketPartners() {
        if (bracketPartners == null) {
            bracketPartners = Expressions.bracketPartners(tokens);
        }
        return bracketPartners;
    }

    List<CallSite> callSites(ScanDeadline deadline) {
        if (callSites == null) {
            callSites = CallSite.find(tokens, bracketPartners(), deadline);
        }
        return callSites;
    }

    String lowerCaseText() {
        if (lowerCase == null) {
            // RE2 case folding also maps U+017F (long s) to s and U+212A (Kelvin) to k
            lowerCase = text.toLowerCase(java.util.Locale.ROOT).replace('\u017F', 's').replace('\u212A', 'k');
        }
        return lowerCase;
    }

    String commentsBlanked() {
        return commentsBlanked;
    }

    List<Token> tokens() {
        return tokens;
    }

    boolean inCode(int offset) {
        return offset >= regions.length || regions[offset] == Tokenizer.CODE;
    }

    /** 0-based line index within this text. */
    int lineIndex(int offset) {
        int k = Arrays.binarySearch(lineStarts, offset);
        return k >= 0 ? k : -k - 2;
    }

    /** 1-based line in the caller's document. */
    int line(int offset) {
        return lineIndex(offset) + firstLine;
    }

    int column(int offset) {
        return offset - lineStarts[lineIndex(offset)] + 1;
    }

    /** Longest snippet reported; a long line is cut to a window around the match. */
    static final int MAX_SNIPPET = 200;

    /** The line holding {@code offset}, stripped; O(snippet) even on a megabyte-long line. */
    String lineText(int offset) {
        int li = lineIndex(offset);
        int start = lineStarts[li];
        int end = Math.max(start, li + 1 < lineStarts.length ? lineStarts[li + 1] - 1 : text.length());
        if (end - start <= MAX_SNIPPET) {
            return text.substring(start, end).strip();
        }
        int from = Math.max(start, Math.min(offset - MAX_SNIPPET / 4, end - MAX_SNIPPET));
        int to = Math.min(end, from + MAX_SNIPPET);
        return (from > start ? "..." : "") + text.substring(from, to).strip() + (to < end ? "..." : "");
    }
}
