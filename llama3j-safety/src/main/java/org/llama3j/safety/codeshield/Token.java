package org.llama3j.safety.codeshield;

/**
 * A lexical token. For {@link Kind#STRING}, {@code interpolated} is true when the literal
 * computes its value (f-string, template literal with {@code ${}}, PHP/Kotlin {@code $var}, C# {@code $"..."}).
 */
record Token(Kind kind, int start, int end, String text, boolean interpolated) {
    enum Kind { IDENT, STRING, NUMBER, PUNCT }

    boolean is(String s) {
        return text.equals(s);
    }

    boolean isPlainString() {
        return kind == Kind.STRING && !interpolated;
    }
}
