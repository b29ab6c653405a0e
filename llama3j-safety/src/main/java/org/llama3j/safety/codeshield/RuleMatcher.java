package org.llama3j.safety.codeshield;

import java.util.function.IntConsumer;

/** How a rule finds its matches; reports the offset of each match. */
sealed interface RuleMatcher permits RegexMatcher, CallMatcher, AssignMatcher {
    void match(SourceText source, ScanDeadline deadline, IntConsumer hit);
}
