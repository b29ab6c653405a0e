package org.llama3j.eval.harness;

import java.util.List;

/** Cuts a generation before the earliest stop string (lm-eval's {@code until}). */
public final class StopStrings {
    private StopStrings() {
    }

    public static String cut(String text, List<String> until) {
        int end = text.length();
        for (String s : until) {
            int i = s.isEmpty() ? -1 : text.indexOf(s);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        return text.substring(0, end);
    }
}
