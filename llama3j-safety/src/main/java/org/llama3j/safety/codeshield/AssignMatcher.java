package org.llama3j.safety.codeshield;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Matches assignments ({@code =} or {@code +=}) to a property whose name fully matches
 * {@code target}, e.g. {@code el.innerHTML = html}. With {@code nonLiteral} the right-hand side
 * must not be a constant. The right-hand side ends at ";", "," or a closing bracket at depth 0,
 * or at a line break not preceded by an operator.
 */
record AssignMatcher(Pattern target, boolean nonLiteral) implements RuleMatcher {

    @Override
    public void match(SourceText source, ScanDeadline deadline, IntConsumer hit) {
        List<Token> ts = source.tokens();
        for (int k = 0; k + 2 < ts.size(); k++) {
            if ((k & 255) == 0) {
                deadline.check();
            }
            Token t = ts.get(k);
            Token op = ts.get(k + 1);
            if (t.kind() != Token.Kind.IDENT || !(op.is("=") || op.is("+="))
                    || !target.matcher(t.text()).matches()) {
                continue;
            }
            if (!nonLiteral || !Expressions.isLiteral(rightHandSide(source, ts, k + 2))) {
                hit.accept(ts.get(CallSite.expressionStart(ts, source.bracketPartners(), k)).start());
            }
        }
    }

    private static List<Token> rightHandSide(SourceText source, List<Token> ts, int from) {
        List<Token> rhs = new ArrayList<>();
        int depth = 0;
        for (int k = from; k < ts.size() && rhs.size() < Expressions.MAX_EXPRESSION_TOKENS; k++) {
            Token t = ts.get(k);
            if (t.kind() == Token.Kind.PUNCT) {
                if (t.is("(") || t.is("[") || t.is("{")) {
                    depth++;
                } else if (t.is(")") || t.is("]") || t.is("}")) {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                } else if (depth == 0 && (t.is(";") || t.is(","))) {
                    break;
                }
            }
            if (depth == 0 && !rhs.isEmpty()) {
                Token prev = rhs.getLast();
                boolean continues = prev.kind() == Token.Kind.PUNCT && !prev.is(")") && !prev.is("]");
                if (!continues && source.lineIndex(t.start()) > source.lineIndex(prev.start())) {
                    break;
                }
            }
            rhs.add(t);
        }
        return rhs;
    }
}
