package org.llama3j.safety.codeshield;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.function.IntConsumer;

/**
 * A RE2/J pattern (automaton-based: time linear in the input, no backtracking). With
 * {@code raw} false it runs on the text with comments blanked and drops matches that start
 * inside a string literal; with {@code raw} true (secrets) it sees the text as is.
 */
record RegexMatcher(Pattern pattern, boolean raw, LiteralPrefilter prefilter) implements RuleMatcher {
    RegexMatcher(Pattern pattern, boolean raw) {
        this(pattern, raw, LiteralPrefilter.of(pattern.pattern()));
    }

    /** Bound on matches reported per rule and text; a pathological input cannot flood the result. */
    static final int MAX_HITS = 64;

    @Override
    public void match(SourceText source, ScanDeadline deadline, IntConsumer hit) {
        if (!prefilter.mayMatch(source)) {
            return;
        }
        Matcher m = pattern.matcher(raw ? source.text() : source.commentsBlanked());
        int hits = 0;
        while (hits < MAX_HITS && m.find()) {
            int at = m.start();
            if (raw || source.inCode(at)) {
                hit.accept(at);
                hits++;
            }
            if (m.end() == at && at >= source.text().length()) {
                break;
            }
            deadline.check();
        }
    }
}
