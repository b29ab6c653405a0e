package org.llama3j.generate;

import java.util.List;

/**
 * The stop-string logic of {@link Generator}, public for callers that run their own decode loop
 * (the server's batching scheduler): accumulates generated text, cuts it at the first stop string,
 * and holds back any tail that could still become one so a stream never shows part of a stop string.
 */
public final class StopStringFilter {
    private final StopStringMatcher matcher;

    public StopStringFilter(List<String> stopStrings) {
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        this.matcher = new StopStringMatcher(List.copyOf(stopStrings));
    }

    /** Adds decoded text; returns what may be released to the client now. */
    public String append(String piece) {
        return matcher.append(piece);
    }

    /** Releases what was held back (call when the stream ends without a match). */
    public String flush() {
        return matcher.flush();
    }

    /** Whether a stop string has appeared (the text is then cut before it). */
    public boolean matched() {
        return matcher.matched();
    }

    /** All text so far, cut before a matched stop string. */
    public String text() {
        return matcher.text();
    }
}
