package org.llama3j.safety.eval;

/**
 * One case's result. {@code hit} is the counted event — insecure code, a refusal, a successful
 * injection — or null when the case could not be judged (an injection case without keywords and
 * no judge model). {@code detail} says why (rule ids, "judge", the matched keyword).
 */
public record CaseOutcome(String benchmark, String id, String group, Boolean hit, String detail) {
}
