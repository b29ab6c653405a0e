package org.llama3j.tokenizer;

/**
 * The character classes the Llama 3 pre-tokenizer pattern uses, with the semantics of Rust's
 * {@code regex} crate (which tiktoken's fancy-regex delegates to): {@code \p{L}} and {@code \p{N}}
 * are Unicode general categories, {@code \s} is the Unicode {@code White_Space} property.
 * Java's own {@code \s} and {@link Character#isWhitespace} differ (ASCII only / no no-break spaces).
 */
final class UnicodeClass {
    static final byte OTHER = 0;
    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    static final byte SPACE = 3;

    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP[c] = compute(c);
        }
    }

    private UnicodeClass() {
    }

    static byte of(int cp) {
        return cp < 0x10000 ? BMP[cp] : compute(cp);
    }

    private static byte compute(int cp) {
        if (isWhiteSpace(cp)) return SPACE;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    /** Unicode PropList.txt {@code White_Space}: the set Rust's {@code \s} matches. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /**
     * Python's {@code str.isspace()} (bidi class WS/B/S or category Zs), which Meta's tokenizer and
     * Jinja's {@code trim} use; it adds U+001C..U+001F to {@code White_Space}.
     */
    static boolean isPythonSpace(int cp) {
        return isWhiteSpace(cp) || (cp >= 0x1C && cp <= 0x1F);
    }
}
