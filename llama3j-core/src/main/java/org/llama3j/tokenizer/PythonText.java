package org.llama3j.tokenizer;

/**
 * Python {@code str} whitespace semantics, which Meta's reference code and Jinja chat templates
 * ({@code |trim} is {@code str.strip()}) rely on. Java's {@link String#strip()} differs: it keeps
 * U+00A0, U+2007, U+202F and strips U+001C..U+001F only by a different rule.
 */
public final class PythonText {
    private PythonText() {
    }

    /** Python {@code str.isspace()} for one code point. */
    public static boolean isSpace(int cp) {
        return UnicodeClass.isPythonSpace(cp);
    }

    /** Python {@code str.strip()}. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) start++;
        while (end > start && isSpace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }
}
