package org.llama3j.data.text;

import java.util.ArrayList;
import java.util.List;

/** Line splitting with the exact semantics the reference filters use. */
public final class TextLines {

    private TextLines() {
    }

    /**
     * Python's {@code str.splitlines()}: breaks on \n, \r, \r\n, \u000b, \u000c, \u001c-\u001e, \u0085,
     * \u2028, \u2029; no trailing empty line; the empty string has no lines.
     */
    public static List<String> splitLines(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (isLineBreak(c)) {
                out.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
            i++;
        }
        if (start < n) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static boolean isLineBreak(char c) {
        if (c < ' ') {
            return c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || (c >= '\u001c' && c <= '\u001e');
        }
        return c >= '\u0085' && (c == '\u0085' || c == '\u2028' || c == '\u2029');
    }

    /** Python's {@code str.split("\n")}: always at least one element, keeps empty trailing pieces. */
    public static List<String> splitOnNewline(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i;
        while ((i = text.indexOf('\n', start)) >= 0) {
            out.add(text.substring(start, i));
            start = i + 1;
        }
        out.add(text.substring(start));
        return out;
    }

    /**
     * Python's {@code str.isspace()} for one char. Java's {@link Character#isWhitespace} leaves out the no-break
     * spaces (U+00A0, U+2007, U+202F) and NEL (U+0085), which Python strips and splits on; web text is full of
     * U+00A0, so the reference filters' line tests depend on this.
     */
    public static boolean isSpace(char c) {
        if (c > ' ' && c < '\u007f') {
            return false; // printable ASCII: the common case, decided without the Unicode tables
        }
        return Character.isWhitespace(c) || c == '\u00a0' || c == '\u2007' || c == '\u202f' || c == '\u0085';
    }

    /** Index of the first non-space char ({@link #isSpace}), or {@code s.length()} when there is none. */
    public static int firstNonSpace(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Index of the last non-space char ({@link #isSpace}), or -1 when there is none. */
    public static int lastNonSpace(String s) {
        int i = s.length() - 1;
        while (i >= 0 && isSpace(s.charAt(i))) {
            i--;
        }
        return i;
    }

    /**
     * {@code s.split(separator + "{" + minRun + ",}", -1)} in Java regex terms, i.e. Python's
     * {@code re.split(r"\n{2,}", s)} for paragraphs and {@code re.split(r"\n+", s)} for lines: the pieces between
     * runs of at least {@code minRun} separators, with the leading and trailing empty pieces kept.
     */
    public static List<String> splitOnRuns(String s, char separator, int minRun) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            if (s.charAt(i) != separator) {
                i++;
                continue;
            }
            int runEnd = i;
            while (runEnd < n && s.charAt(runEnd) == separator) {
                runEnd++;
            }
            if (runEnd - i >= minRun) {
                out.add(s.substring(start, i));
                start = runEnd;
            }
            i = runEnd;
        }
        out.add(s.substring(start));
        return out;
    }

    /** Python's {@code str.strip()}. */
    public static String strip(String s) {
        return stripTrailing(stripLeading(s));
    }

    /** Python's {@code str.lstrip()}. */
    public static String stripLeading(String s) {
        return s.substring(firstNonSpace(s));
    }

    /** Python's {@code str.rstrip()}. */
    public static String stripTrailing(String s) {
        return s.substring(0, lastNonSpace(s) + 1);
    }

    /** Python's {@code s.strip() == ""}. */
    public static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Python's {@code str.split()} without arguments: runs of whitespace separate, no empty pieces. */
    public static List<String> splitWhitespace(String s) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (start < i) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** Non-overlapping occurrences of {@code needle}, as Python's {@code str.count}. */
    public static int count(String text, String needle) {
        int c = 0;
        int i = 0;
        while ((i = text.indexOf(needle, i)) >= 0) {
            c++;
            i += needle.length();
        }
        return c;
    }

    /** Python's {@code len(str)}: the number of code points, not UTF-16 units. */
    public static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
