package org.llama3j.safety.codeshield;

import java.util.Locale;

/** What a {@link CallMatcher} requires of the inspected argument. */
enum ArgCondition {
    /** The call alone is the finding. */
    ANY,
    /** The argument is not a constant (string/number literal, or literals joined by {@code +}). */
    NON_LITERAL,
    /** The argument builds a string at run time: concatenation, interpolation, format calls. */
    DYNAMIC_STRING;

    static ArgCondition parse(String s) {
        return switch (s == null ? "any" : s.strip().toLowerCase(Locale.ROOT)) {
            case "any" -> ANY;
            case "non-literal" -> NON_LITERAL;
            case "dynamic-string" -> DYNAMIC_STRING;
            default -> throw new IllegalArgumentException("condition must be any, non-literal or dynamic-string, got '" + s + "'");
        };
    }
}
