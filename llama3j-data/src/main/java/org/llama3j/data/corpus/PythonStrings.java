package org.llama3j.data.corpus;

/**
 * Python's {@code str.strip()} with no argument: removes leading and trailing characters for which
 * {@code str.isspace()} is true (Unicode White_Space plus the ASCII separators U+001C–U+001F), so the
 * corpus matches the Python reference converter byte for byte. {@link String#strip()} differs: it keeps
 * U+00A0 and U+2007/U+202F (no-break spaces) and U+0085.
 */
final class PythonStrings {

    private PythonStrings() {
    }

    static String strip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isSpace(s.charAt(b))) {
            b++;
        }
        while (e > b && isSpace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    /** CPython {@code _PyUnicode_IsWhitespace}: bidirectional type WS, B or S, or White_Space. */
    static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\u000C', '\r', '\u001C', '\u001D', '\u001E', '\u001F', ' ', '\u0085', '\u00A0',
                 '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }
}
