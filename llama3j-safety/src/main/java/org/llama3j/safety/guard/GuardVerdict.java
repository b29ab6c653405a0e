package org.llama3j.safety.guard;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Llama Guard's answer: {@code safe}, or {@code unsafe} followed by a line of comma-separated
 * category codes ({@code S1,S3}).
 */
public record GuardVerdict(boolean safe, List<String> categories) {
    private static final Pattern CODE = Pattern.compile("S[1-9][0-9]?");

    public GuardVerdict {
        categories = List.copyOf(categories);
        if (safe && !categories.isEmpty()) {
            throw new GuardVerdictException("a safe verdict cannot list violated categories: " + categories);
        }
    }

    public static GuardVerdict ofSafe() {
        return new GuardVerdict(true, List.of());
    }

    public boolean unsafe() {
        return !safe;
    }

    /**
     * Parses model output. Surrounding whitespace, blank lines, a trailing {@code <|eot_id|>} and
     * spaces around commas are tolerated; anything else (unknown first word, malformed code, extra
     * lines, categories after {@code safe}) is rejected with {@link GuardVerdictException}.
     */
    public static GuardVerdict parse(String output) {
        if (output == null) {
            throw new GuardVerdictException("guard output is null");
        }
        String text = output.strip();
        if (text.endsWith("<|eot_id|>")) {
            text = text.substring(0, text.length() - "<|eot_id|>".length()).strip();
        }
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new GuardVerdictException("guard output is empty");
        }
        String head = lines.getFirst();
        if (head.equals("safe")) {
            if (lines.size() > 1) {
                throw new GuardVerdictException("guard output 'safe' is followed by unexpected text: '" + lines.get(1) + "'");
            }
            return ofSafe();
        }
        if (!head.equals("unsafe")) {
            throw new GuardVerdictException("guard output must start with 'safe' or 'unsafe', got '" + abbreviate(head) + "'");
        }
        if (lines.size() > 2) {
            throw new GuardVerdictException("guard output has " + lines.size() + " lines, at most 2 allowed: '" + abbreviate(text) + "'");
        }
        if (lines.size() == 1) {
            return new GuardVerdict(false, List.of());
        }
        List<String> codes = new java.util.ArrayList<>();
        for (String part : lines.get(1).split(",", -1)) {
            String code = part.strip();
            if (!CODE.matcher(code).matches()) {
                throw new GuardVerdictException("guard output has malformed category code '" + abbreviate(code)
                        + "' in '" + abbreviate(lines.get(1)) + "' (expected S<number>)");
            }
            if (!codes.contains(code)) {
                codes.add(code);
            }
        }
        return new GuardVerdict(false, codes);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
