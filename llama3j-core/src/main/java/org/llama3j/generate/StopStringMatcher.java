package org.llama3j.generate;

import java.util.List;

/**
 * Accumulates generated text and watches for stop strings. While streaming it holds back any tail
 * that could still become a stop string, so a listener never sees part of one.
 */
final class StopStringMatcher {
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private boolean matched;

    StopStringMatcher(List<String> stops) {
        this.stops = stops;
    }

    /** Adds text; returns what can be released to the listener now. */
    String append(String piece) {
        if (matched) {
            return "";
        }
        text.append(piece);
        int cut = firstMatch();
        if (cut >= 0) {
            matched = true;
            text.setLength(cut);
            return release(text.length());
        }
        return release(text.length() - heldBack());
    }

    /** Releases whatever was held back (the stream ended without a match). */
    String flush() {
        return release(text.length());
    }

    boolean matched() {
        return matched;
    }

    String text() {
        return text.toString();
    }

    private String release(int upTo) {
        if (upTo <= emitted) {
            return "";
        }
        String s = text.substring(emitted, upTo);
        emitted = upTo;
        return s;
    }

    private int firstMatch() {
        int best = -1;
        int searchFrom = Math.max(0, emitted - maxStopLength());
        for (String s : stops) {
            int i = text.indexOf(s, searchFrom);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** Length of the longest suffix of the text that is a proper prefix of some stop string. */
    private int heldBack() {
        int hold = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length()); k > hold; k--) {
                if (text.substring(text.length() - k).equals(s.substring(0, k))) {
                    hold = k;
                    break;
                }
            }
        }
        return hold;
    }

    private int maxStopLength() {
        int m = 0;
        for (String s : stops) {
            m = Math.max(m, s.length());
        }
        return m;
    }
}
