package org.llama3j.safety.codeshield;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A single-pass, linear-time tokenizer for one {@link LexicalSyntax}. It records, per character,
 * whether it lies in code, a string literal or a comment, and emits identifier, string, number and
 * punctuation tokens. Unterminated single-line strings end at the line break, so a stray quote
 * cannot swallow the rest of the file.
 */
final class Tokenizer {
    static final byte CODE = 0;
    static final byte STRING = 1;
    static final byte COMMENT = 2;

    private static final Set<String> PYTHON_PREFIXES = Set.of("r", "u", "b", "f", "rb", "br", "fr", "rf");
    private static final String[] OPERATORS = {"===", "!==", "**=", "<<=", ">>=", "...", "==", "!=", "+=", "-=",
        "*=", "/=", "%=", "|=", "&=", "^=", "->", "::", "=>", "<=", ">=", "&&", "||", "**", ":=", "?.", "..", "<<", ">>", "++", "--"};

    private final String s;
    private final LexicalSyntax syn;
    private final byte[] region;
    private final List<Token> tokens = new ArrayList<>();
    private final ScanDeadline deadline;
    private int i;

    private Tokenizer(String s, LexicalSyntax syn, ScanDeadline deadline) {
        this.s = s;
        this.syn = syn;
        this.region = new byte[s.length()];
        this.deadline = deadline;
    }

    record Lexed(List<Token> tokens, byte[] regions) {
    }

    static Lexed tokenize(String source, LexicalSyntax syntax, ScanDeadline deadline) {
        Tokenizer t = new Tokenizer(source, syntax, deadline);
        t.run();
        return new Lexed(List.copyOf(t.tokens), t.region);
    }

    private void run() {
        int n = s.length();
        int steps = 0;
        while (i < n) {
            if ((++steps & 1023) == 0) {
                deadline.check();
            }
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (startsLineComment()) {
                int end = s.indexOf('\n', i);
                mark(i, end < 0 ? n : end, COMMENT);
                i = end < 0 ? n : end;
            } else if (syn.blockComments() && s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                mark(i, end, COMMENT);
                i = end;
            } else if (syn.csharpStrings() && (c == '@' || c == '$') && csharpString()) {
                // C# verbatim/interpolated string, handled before '$' can start an identifier
            } else if (isIdentStart(c)) {
                identOrPrefixedString();
            } else if (c >= '0' && c <= '9') {
                int st = i;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.NUMBER, st, i, s.substring(st, i), false));
            } else if (c == '"') {
                if ((syn.tripleQuotes() || syn.pythonStrings()) && s.startsWith("\"\"\"", i)) {
                    tripleString(i, "\"\"\"", syn.dollarInterpolation(), false);
                } else {
                    quoted(i, i, '"', true, syn.dollarInterpolation(), false, true);
                }
            } else if (c == '\'' && syn.singleQuoteStrings()) {
                if (syn.pythonStrings() && s.startsWith("\'\'\'", i)) {
                    tripleString(i, "\'\'\'", false, false);
                } else if (syn.rustStrings() && !isRustCharLiteral()) {
                    punct();
                } else {
                    quoted(i, i, '\'', true, false, false, true);
                }
            } else if (c == '`' && syn.backticks() != LexicalSyntax.Backticks.NONE) {
                boolean template = syn.backticks() == LexicalSyntax.Backticks.TEMPLATE;
                quoted(i, i, '`', template, false, template, false);
            } else {
                punct();
            }
        }
    }

    private boolean startsLineComment() {
        for (String m : syn.lineComments()) {
            if (s.startsWith(m, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private void identOrPrefixedString() {
        int st = i;
        int n = s.length();
        i++;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
            i++;
        }
        String word = s.substring(st, i);
        if (i < n) {
            char q = s.charAt(i);
            if (syn.pythonStrings() && (q == '"' || q == '\'') && PYTHON_PREFIXES.contains(word.toLowerCase())) {
                boolean f = word.toLowerCase().contains("f");
                boolean raw = word.toLowerCase().contains("r");
                String triple = String.valueOf(q).repeat(3);
                if (s.startsWith(triple, i)) {
                    tripleString(st, triple, false, f);
                } else {
                    quoted(st, i, q, !raw, false, f, true);
                }
                return;
            }
            if (syn.rustStrings() && (word.equals("r") || word.equals("br")) && (q == '"' || q == '#')) {
                if (rustRawString(st)) {
                    return;
                }
            }
            if (syn.rustStrings() && word.equals("b") && (q == '"' || q == '\'')) {
                quoted(st, i, q, true, false, false, true);
                return;
            }
            if (syn.cppRawStrings() && q == '"' && (word.equals("R") || word.equals("u8R") || word.equals("LR")
                    || word.equals("uR") || word.equals("UR"))) {
                cppRawString(st);
                return;
            }
        }
        tokens.add(new Token(Token.Kind.IDENT, st, i, word, false));
    }

    /** A string starting at {@code tokenStart} whose opening quote is at {@code quoteAt}. */
    private void quoted(int tokenStart, int quoteAt, char q, boolean escapes, boolean dollar, boolean braces,
                        boolean singleLine) {
        int n = s.length();
        int j = quoteAt + 1;
        boolean interp = false;
        while (j < n) {
            char c = s.charAt(j);
            if (escapes && c == '\\' && j + 1 < n) {
                j += 2;
                continue;
            }
            if (c == q) {
                j++;
                break;
            }
            if (singleLine && c == '\n') {
                break;
            }
            if (dollar && c == '$' && j + 1 < n && (isIdentStart(s.charAt(j + 1)) || s.charAt(j + 1) == '{')) {
                interp = true;
            }
            if (dollar && c == '{' && j + 1 < n && s.charAt(j + 1) == '$') {
                interp = true;
            }
            if (braces && q != '`' && c == '{' && j + 1 < n && s.charAt(j + 1) == '{') {
                j += 2; // "{{" is an escaped brace in f-strings and C# interpolated strings
                continue;
            }
            if (braces && c == '{') {
                // template literal: only "${" interpolates; f-string / C# $"": "{{" is an escaped brace
                interp |= q == '`' ? s.charAt(j - 1) == '$' : !(j + 1 < n && s.charAt(j + 1) == '{');
            }
            j++;
        }
        addString(tokenStart, j, interp);
    }

    private void tripleString(int tokenStart, String triple, boolean dollar, boolean braces) {
        int from = s.indexOf(triple, tokenStart) + 3;
        int end = s.indexOf(triple, from);
        end = end < 0 ? s.length() : end + 3;
        String body = s.substring(from, Math.max(from, end - 3));
        boolean interp = (braces && body.indexOf('{') >= 0) || (dollar && hasDollarRef(body));
        addString(tokenStart, end, interp);
    }

    private static boolean hasDollarRef(String body) {
        for (int k = 0; k + 1 < body.length(); k++) {
            if (body.charAt(k) == '$' && (isIdentStart(body.charAt(k + 1)) || body.charAt(k + 1) == '{')) {
                return true;
            }
        }
        return false;
    }

    private boolean isRustCharLiteral() {
        // 'x' or an escape such as '\\n': a closing quote within a few characters; otherwise a lifetime.
        int n = s.length();
        if (i + 2 < n && s.charAt(i + 1) != '\\' && s.charAt(i + 2) == '\'') {
            return true;
        }
        if (i + 1 < n && s.charAt(i + 1) == '\\') {
            int close = s.indexOf('\'', i + 2);
            return close > 0 && close - i <= 12;
        }
        return false;
    }

    private boolean rustRawString(int st) {
        int j = i;
        int hashes = 0;
        while (j < s.length() && s.charAt(j) == '#') {
            hashes++;
            j++;
        }
        if (j >= s.length() || s.charAt(j) != '"') {
            return false;
        }
        String close = "\"" + "#".repeat(hashes);
        int end = s.indexOf(close, j + 1);
        end = end < 0 ? s.length() : end + close.length();
        addString(st, end, false);
        return true;
    }

    private void cppRawString(int st) {
        int open = s.indexOf('(', i);
        int lineEnd = s.indexOf('\n', i);
        if (open < 0 || open - i > 17 || (lineEnd >= 0 && lineEnd < open)) {
            quoted(st, i, '"', true, false, false, true);
            return;
        }
        String close = ")" + s.substring(i + 1, open) + "\"";
        int end = s.indexOf(close, open);
        end = end < 0 ? s.length() : end + close.length();
        addString(st, end, false);
    }

    private boolean csharpString() {
        int j = i;
        boolean verbatim = false;
        boolean interp = false;
        while (j < s.length() && (s.charAt(j) == '@' || s.charAt(j) == '$') && j - i < 2) {
            verbatim |= s.charAt(j) == '@';
            interp |= s.charAt(j) == '$';
            j++;
        }
        if (j >= s.length() || s.charAt(j) != '"') {
            return false;
        }
        if (!verbatim) {
            quoted(i, j, '"', true, false, interp, true);
            return true;
        }
        // verbatim: "" is an escaped quote, may span lines
        int k = j + 1;
        boolean braces = false;
        while (k < s.length()) {
            char c = s.charAt(k);
            if (c == '"') {
                if (k + 1 < s.length() && s.charAt(k + 1) == '"') {
                    k += 2;
                    continue;
                }
                k++;
                break;
            }
            braces |= c == '{';
            k++;
        }
        addString(i, k, interp && braces);
        return true;
    }

    private void addString(int st, int end, boolean interp) {
        mark(st, end, STRING);
        tokens.add(new Token(Token.Kind.STRING, st, end, s.substring(st, end), interp));
        i = end;
    }

    private void punct() {
        for (String op : OPERATORS) {
            if (s.startsWith(op, i)) {
                tokens.add(new Token(Token.Kind.PUNCT, i, i + op.length(), op, false));
                i += op.length();
                return;
            }
        }
        tokens.add(new Token(Token.Kind.PUNCT, i, i + 1, String.valueOf(s.charAt(i)), false));
        i++;
    }

    private void mark(int from, int to, byte kind) {
        java.util.Arrays.fill(region, from, Math.min(to, region.length), kind);
    }
}
