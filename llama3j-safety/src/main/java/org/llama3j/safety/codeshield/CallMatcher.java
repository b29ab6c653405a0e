package org.llama3j.safety.codeshield;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Matches calls by callee name and inspects an argument. The callee name is the chain of
 * identifiers before "(" with every member separator ({@code . -> :: ?.}) written as ".";
 * a chain that starts after a call is named after that call ({@code Runtime.getRuntime().exec(} is
 * {@code getRuntime().exec}); one that starts after another non-identifier ({@code (a).execute(})
 * is written with a leading "." ({@code .execute}). Function definitions ({@code def f(},
 * {@code function f(}, {@code fn}, {@code func}, {@code fun}) are not calls. Rust macros ({@code format!(}) are named with their "!".
 *
 * @param callee       full-match pattern on the callee name
 * @param condition    what the inspected argument must be for a finding
 * @param argIndex     which argument to inspect (0-based); -1 means any argument
 * @param keyword      when non-null, a keyword argument {@code name=value} that must be present,
 *                     {@code value} matching {@code keywordValue}
 */
record CallMatcher(Pattern callee, ArgCondition condition, int argIndex, String keyword, Pattern keywordValue,
                   Map<String, Boolean> nameCache) implements RuleMatcher {

    CallMatcher(Pattern callee, ArgCondition condition, int argIndex, String keyword, Pattern keywordValue) {
        this(callee, condition, argIndex, keyword, keywordValue, new ConcurrentHashMap<>());
    }


    /** Callee names seen before and whether they matched; bounded, shared by all scans. */
    private static final int NAME_CACHE_LIMIT = 4096;

    @Override
    public void match(SourceText source, ScanDeadline deadline, IntConsumer hit) {
        List<Token> ts = source.tokens();
        int n = 0;
        for (CallSite site : source.callSites(deadline)) {
            if ((++n & 63) == 0) {
                deadline.check();
            }
            if (calleeMatches(site.name())) {
                List<List<Token>> args = Expressions.arguments(ts, source.bracketPartners(), site.open());
                if (accepts(args)) {
                    hit.accept(ts.get(site.first()).start());
                }
            }
        }
    }

    private boolean calleeMatches(String name) {
        Boolean known = nameCache.get(name);
        if (known == null) {
            known = callee.matcher(name).matches();
            if (nameCache.size() >= NAME_CACHE_LIMIT) {
                nameCache.clear();
            }
            nameCache.put(name, known);
        }
        return known;
    }

    private boolean accepts(List<List<Token>> args) {
        if (keyword != null && !hasKeyword(args)) {
            return false;
        }
        if (condition == ArgCondition.ANY) {
            return true;
        }
        if (argIndex < 0) {
            return args.stream().anyMatch(this::argMatches);
        }
        return argIndex < args.size() && argMatches(args.get(argIndex));
    }

    private boolean argMatches(List<Token> arg) {
        return switch (condition) {
            case ANY -> true;
            case NON_LITERAL -> !arg.isEmpty() && !Expressions.isLiteral(arg);
            case DYNAMIC_STRING -> Expressions.isDynamicString(arg);
        };
    }

    private boolean hasKeyword(List<List<Token>> args) {
        for (List<Token> a : args) {
            if (a.size() >= 3 && a.get(0).kind() == Token.Kind.IDENT && a.get(0).is(keyword)
                    && (a.get(1).is("=") || a.get(1).is(":"))) {
                StringBuilder v = new StringBuilder();
                for (int k = 2; k < Math.min(a.size(), 16); k++) {
                    v.append(a.get(k).text());
                }
                if (keywordValue.matcher(v).matches()) {
                    return true;
                }
            }
        }
        return false;
    }
}
