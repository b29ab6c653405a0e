package org.llama3j.tokenizer;

/**
 * Hand-written matcher for the Llama 3 split pattern (Meta llama-models {@code tokenizer.py}
 * {@code pat_str}):
 * <pre>
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * </pre>
 * It reproduces leftmost-first alternation with backtracking as fancy-regex runs it, in one pass
 * with no backtracking. Case-insensitivity is Unicode simple case folding as in Rust's regex: the
 * only non-ASCII letter folding onto one of {@code s t r e v m l d} is U+017F (long s).
 * Lone surrogates must be replaced before splitting (see {@link Tokenizer}); here they count as OTHER.
 */
public final class Llama3PreTokenizer implements PreTokenizer {
    public static final String PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    public static final Llama3PreTokenizer INSTANCE = new Llama3PreTokenizer();

    private Llama3PreTokenizer() {
    }

    @Override
    public void split(CharSequence text, int from, int to, PieceSink sink) {
        int i = from;
        while (i < to) {
            int end = matchAt(text, i, to);
            sink.piece(i, end);
            i = end;
        }
    }

    private static int matchAt(CharSequence s, int i, int n) {
        int c = Character.codePointAt(s, i);
        int next = i + Character.charCount(c);
        byte cls = UnicodeClass.of(c);

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (c == '\'' && next < n) {
            int contraction = contractionEnd(s, next, n);
            if (contraction > 0) return contraction;
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (cls == UnicodeClass.LETTER) return letterRun(s, next, n);
        if (cls != UnicodeClass.NUMBER && c != '\r' && c != '\n' && next < n
                && UnicodeClass.of(Character.codePointAt(s, next)) == UnicodeClass.LETTER) {
            return letterRun(s, next, n);
        }
        // \p{N}{1,3}
        if (cls == UnicodeClass.NUMBER) {
            int end = next;
            for (int k = 1; k < 3 && end < n; k++) {
                int d = Character.codePointAt(s, end);
                if (UnicodeClass.of(d) != UnicodeClass.NUMBER) break;
                end += Character.charCount(d);
            }
            return end;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int otherStart = -1;
        if (cls == UnicodeClass.OTHER) {
            otherStart = i;
        } else if (c == ' ' && next < n && UnicodeClass.of(Character.codePointAt(s, next)) == UnicodeClass.OTHER) {
            otherStart = next;
        }
        if (otherStart >= 0) {
            int end = otherStart;
            while (end < n) {
                int d = Character.codePointAt(s, end);
                if (UnicodeClass.of(d) != UnicodeClass.OTHER) break;
                end += Character.charCount(d);
            }
            while (end < n && (s.charAt(end) == '\r' || s.charAt(end) == '\n')) end++;
            return end;
        }
        // Here c is whitespace (every code point is a letter, number, whitespace or other).
        // White_Space code points are all in the BMP, so the run is scanned char by char.
        int runEnd = i + 1;
        int lastNewline = (c == '\r' || c == '\n') ? i : -1;
        while (runEnd < n && UnicodeClass.isWhiteSpace(s.charAt(runEnd))) {
            char d = s.charAt(runEnd);
            if (d == '\r' || d == '\n') lastNewline = runEnd;
            runEnd++;
        }
        // \s*[\r\n]+ : \s* backtracks to the last newline of the run; [\r\n]+ takes it (the next char is no newline).
        if (lastNewline >= 0) return lastNewline + 1;
        // \s+(?!\S) : the whole run at the end of text, otherwise the run minus its last char.
        if (runEnd == n) return runEnd;
        if (runEnd - i >= 2) return runEnd - 1;
        // \s+
        return runEnd;
    }

    private static int letterRun(CharSequence s, int end, int n) {
        while (end < n) {
            int d = Character.codePointAt(s, end);
            if (UnicodeClass.of(d) != UnicodeClass.LETTER) break;
            end += Character.charCount(d);
        }
        return end;
    }

    /** End of a contraction starting with the apostrophe before {@code at}, or 0. */
    private static int contractionEnd(CharSequence s, int at, int n) {
        char a = fold(s.charAt(at));
        switch (a) {
            case 's', 't', 'm', 'd' -> {
                return at + 1;
            }
            case 'r', 'v' -> {
                if (at + 1 < n && fold(s.charAt(at + 1)) == 'e') return at + 2;
            }
            case 'l' -> {
                if (at + 1 < n && fold(s.charAt(at + 1)) == 'l') return at + 2;
            }
            default -> {
            }
        }
        return 0;
    }

    private static char fold(char c) {
        if (c >= 'A' && c <= 'Z') return (char) (c + 32);
        if (c == '\u017F') return 's'; // LATIN SMALL LETTER LONG S folds to 's'
        return c;
    }
}
