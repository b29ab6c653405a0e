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

    /** Index of the token closing the bracket opened at {@code open}, or the last index if unbalanced. */
    static int closing(List<Token> ts, int open) {
        int depth = 0;
        for (int k = open; k < ts.size(); k++) {
            String t = ts.get(k).kind() == Token.Kind.PUNCT ? ts.get(k).text() : "";
            if (t.equals("(") || t.equals("[") || t.equals("{")) {
                depth++;
            } else if (t.equals(")") || t.equals("]") || t.equals("}")) {
                depth--;
                if (depth == 0) {
                    return k;
                }
            }
        }
        return ts.size() - 1;
    }

    /** Arguments between {@code open} (a "(") and its closing bracket, split on top-level commas. */
    static List<List<Token>> arguments(List<Token> ts, int open) {
        int close = closing(ts, open);
        List<List<Token>> args = new ArrayList<>();
        List<Token> cur = new ArrayList<>();
        int depth = 0;
        for (int k = open + 1; k < close; k++) {
            Token t = ts.get(k);
            if (t.kind() == Token.Kind.PUNCT) {
                switch (t.text()) {
                    case "(", "[", "{" -> depth++;
                    case ")", "]", "}" -> depth--;
                    case "," -> {
                        if (depth == 0) {
                            args.add(cur);
                            cur = new ArrayList<>();
                            continue;
                        }
                    }
                    default -> { }
                }
            }
            cur.add(t);
        }
        if (!cur.isEmpty() || !args.isEmpty()) {
            args.add(cur);
        }
        return args;
    }

    /** A compile-time constant: literals, optionally joined by {@code +}, with a leading {@code &} or sign. */
    static boolean isLiteral(List<Token> expr) {
        if (expr.isEmpty()) {
            return false;
        }
        boolean sawValue = false;
        for (int k = 0; k < expr.size(); k++) {
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
        for (int k = 0; k < expr.size(); k++) {
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
