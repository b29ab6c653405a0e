package org.llama3j.safety.codeshield;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Token-level facts about call arguments and expressions. */
final class Expressions {
    private static final Set<String> CONSTANT_WORDS = Set.of("true", "false", "True", "False", "null", "None",
            "nil", "undefined", "NULL", "nullptr");
    private static final Set<String> FORMAT_WORDS = Set.of("format", "Format", "Sprintf", "sprintf", "snprintf",
            "vsprintf", "formatted", "concat", "Concat", "join", "Join", "strcat", "Sprint");
    private static final Set<String> SEPARATORS = Set.of(".", "->", "::", "?.");

    private Expressions() {
    }

    static boolean isSeparator(Token t) {
        return t.kind() == Token.Kind.PUNCT && SEPARATORS.contains(t.text());
    }

    /** Tokens of one expression inspected at most; longer ones are judged on their start (bounded work). */
    static final int MAX_EXPRESSION_TOKENS = 512;
    /** How far the arguments of a call whose "(" is never closed are taken to reach. */
    static final int UNCLOSED_CALL_TOKENS = 128;

    /**
     * For each bracket token the index of its partner ({@code ( [ {} and their closers), -1 for
     * other tokens and unbalanced brackets. One pass with a stack, so nesting costs nothing later.
     */
    static int[] bracketPartners(List<Token> ts) {
        int[] partner = new int[ts.size()];
        java.util.Arrays.fill(partner, -1);
        int[] stack = new int[ts.size()];
        int top = 0;
        for (int k = 0; k < ts.size(); k++) {
            Token t = ts.get(k);
            if (t.kind() != Token.Kind.PUNCT || t.text().length() != 1) {
                continue;
            }
            char c = t.text().charAt(0);
            if (c == '(' || c == '[' || c == '{') {
                stack[top++] = k;
            } else if (c == ')' || c == ']' || c == '}') {
                char want = c == ')' ? '(' : c == ']' ? '[' : '{';
                // pop to the nearest matching opener; mismatched openers stay unpaired
                int j = top - 1;
                while (j >= 0 && ts.get(stack[j]).text().charAt(0) != want) {
                    j--;
                }
                if (j >= 0) {
                    partner[stack[j]] = k;
                    partner[k] = stack[j];
                    top = j;
                }
            }
        }
        return partner;
    }

    /**
     * Arguments of the call whose "(" is at {@code open}, split on top-level commas, as views of
     * the token list. Nested brackets are jumped over via {@code partner}, so the work is
     * proportional to the call's own top-level tokens.
     */
    static List<List<Token>> arguments(List<Token> ts, int[] partner, int open) {
        // an unclosed "(" would otherwise make every nested call walk to the end (quadratic)
        int close = partner[open] >= 0 ? partner[open] : Math.min(ts.size(), open + 1 + UNCLOSED_CALL_TOKENS);
        List<List<Token>> args = new ArrayList<>();
        int start = open + 1;
        int k = open + 1;
        int steps = 0;
        while (k < close && ++steps <= MAX_EXPRESSION_TOKENS) {
            Token t = ts.get(k);
            if (partner[k] > k) {
                k = partner[k] + 1;
                continue;
            }
            if (t.is(",")) {
                args.add(ts.subList(start, k));
                start = k + 1;
            }
            k++;
        }
        if (k > start || !args.isEmpty()) {
            args.add(ts.subList(start, Math.min(k, ts.size())));
        }
        return args;
    }

    /** A compile-time constant: literals, optionally joined by {@code +}, with a leading {@code &} or sign. */
    static boolean isLiteral(List<Token> expr) {
        if (expr.isEmpty()) {
            return false;
        }
        boolean sawValue = false;
        for (int k = 0; k < Math.min(expr.size(), MAX_EXPRESSION_TOKENS); k++) {
            Token t = expr.get(k);
            switch (t.kind()) {
                case STRING -> {
                    if (t.interpolated()) {
                        return false;
                    }
                    sawValue = true;
                }
                case NUMBER -> sawValue = true;
                case IDENT -> {
                    if (!CONSTANT_WORDS.contains(t.text())) {
                        return false;
                    }
                    sawValue = true;
                }
                case PUNCT -> {
                    boolean prefix = k == 0 && (t.is("&") || t.is("-") || t.is("@"));
                    if (!prefix && !t.is("+") && !(t.is(".") && neighboursAreStrings(expr, k))) {
                        return false;
                    }
                }
            }
        }
        return sawValue;
    }

    private static boolean neighboursAreStrings(List<Token> expr, int k) {
        return k > 0 && k + 1 < expr.size() && expr.get(k - 1).isPlainString() && expr.get(k + 1).isPlainString();
    }

    /**
     * A string computed at run time: an interpolated literal, a literal joined to anything by
     * {@code +}, {@code %} or PHP's {@code .}, or a formatting call ({@code format}, {@code Sprintf}, ...).
     */
    static boolean isDynamicString(List<Token> expr) {
        boolean hasString = false;
        boolean hasJoin = false;
        boolean hasNonLiteral = false;
        for (int k = 0; k < Math.min(expr.size(), MAX_EXPRESSION_TOKENS); k++) {
            Token t = expr.get(k);
            if (t.kind() == Token.Kind.STRING) {
                if (t.interpolated()) {
                    return true;
                }
                hasString = true;
                boolean dotAfter = k + 1 < expr.size() && expr.get(k + 1).is(".");
                boolean dotBefore = k > 0 && expr.get(k - 1).is(".");
                if (dotAfter || dotBefore) {
                    hasJoin = true;
                }
            } else if (t.kind() == Token.Kind.PUNCT && (t.is("+") || t.is("%") || t.is("+="))) {
                hasJoin = true;
            } else if (t.kind() == Token.Kind.IDENT) {
                if (FORMAT_WORDS.contains(t.text()) && k + 1 < expr.size()
                        && (expr.get(k + 1).is("(") || expr.get(k + 1).is("!"))) {
                    return true;
                }
                if (!CONSTANT_WORDS.contains(t.text())) {
                    hasNonLiteral = true;
                }
            }
        }
        return hasString && hasJoin && hasNonLiteral;
    }
}
