package org.llama3j.safety.codeshield;

import java.util.ArrayList;
import java.util.List;

/**
 * A call found in the token stream: its callee name (see {@link CallMatcher} for the naming),
 * the index of its first token and of its opening parenthesis.
 */
record CallSite(String name, int first, int open) {
    /** Keywords that introduce a function definition (Python, JavaScript, Rust, Go, Kotlin): what follows is not a call. */
    private static final java.util.Set<String> DEFINITION_KEYWORDS = java.util.Set.of("def", "function", "fn", "func", "fun");

    /** Finds every call in the tokens, once per scanned text. */
    static List<CallSite> find(List<Token> ts, int[] partner, ScanDeadline deadline) {
        List<CallSite> out = new ArrayList<>();
        for (int k = 0; k + 1 < ts.size(); k++) {
            if ((k & 255) == 0) {
                deadline.check();
            }
            Token t = ts.get(k);
            if (t.kind() != Token.Kind.IDENT) {
                continue;
            }
            int open = k + 1;
            String name = t.text();
            if (ts.get(open).is("!") && open + 1 < ts.size()) {
                name = name + "!";
                open++;
            }
            open = skipTypeArguments(ts, open);
            if (!ts.get(open).is("(")) {
                continue;
            }
            int first = k;
            StringBuilder chain = new StringBuilder(name);
            while (first >= 2 && Expressions.isSeparator(ts.get(first - 1))
                    && ts.get(first - 2).kind() == Token.Kind.IDENT && chain.length() < 256) {
                chain.insert(0, ts.get(first - 2).text() + ".");
                first -= 2;
            }
            if (first >= 1 && Expressions.isSeparator(ts.get(first - 1))) {
                chain.insert(0, ".");
                // a member of a call's result is named after that call: Runtime.getRuntime().exec -> getRuntime().exec,
                // so rules can tell it from builder().exec
                int close = first - 2;
                if (close >= 0 && ts.get(close).is(")") && partner[close] >= 1
                        && ts.get(partner[close] - 1).kind() == Token.Kind.IDENT) {
                    chain.insert(0, ts.get(partner[close] - 1).text() + "()");
                }
            }
            if (first >= 1 && DEFINITION_KEYWORDS.contains(ts.get(first - 1).text())) {
                continue; // "def compile(self, ...)" declares a function, it does not call one
            }
            out.add(new CallSite(chain.toString(), expressionStart(ts, partner, first), open));
        }
        return out;
    }

    /**
     * Where the receiver expression of a member call starts, for reporting: walks back over
     * {@code a.b(...)[...].} links so {@code Runtime.getRuntime().exec(x)} is reported at
     * {@code Runtime}, not at {@code exec}. Bounded to a few links.
     */
    static int expressionStart(List<Token> ts, int[] partner, int first) {
        int k = first;
        for (int links = 0; links < 16 && k >= 2 && Expressions.isSeparator(ts.get(k - 1)); links++) {
            Token before = ts.get(k - 2);
            if (before.kind() == Token.Kind.IDENT) {
                k -= 2;
            } else if ((before.is(")") || before.is("]")) && partner[k - 2] >= 0) {
                k = partner[k - 2];
                if (k >= 1 && ts.get(k - 1).kind() == Token.Kind.IDENT) {
                    k--;
                }
            } else {
                break;
            }
        }
        return k;
    }

    /** Skips {@code <T, U>} or Rust's {@code ::<T>} between a callee and "(": {@code conn.Query<User>(...)}. */
    private static int skipTypeArguments(List<Token> ts, int at) {
        int k = at;
        if (k < ts.size() && ts.get(k).is("::")) {
            k++;
        }
        if (k >= ts.size() || !ts.get(k).is("<")) {
            return at;
        }
        int depth = 0;
        for (int j = k; j < ts.size() && j < k + 32; j++) {
            Token t = ts.get(j);
            if (t.is("<")) {
                depth++;
            } else if (t.is(">") || t.is(">>")) {
                depth -= t.text().length();
                if (depth <= 0) {
                    return j + 1 < ts.size() && ts.get(j + 1).is("(") ? j + 1 : at;
                }
            } else if (t.kind() != Token.Kind.IDENT && !t.is(",") && !t.is(".") && !t.is("::")
                    && !t.is("?") && !t.is("[") && !t.is("]") && !t.is("&") && !t.is("*")) {
                return at;
            }
        }
        return at;
    }
}
