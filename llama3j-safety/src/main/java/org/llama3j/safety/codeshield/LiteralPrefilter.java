package org.llama3j.safety.codeshield;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A cheap necessary condition for a regex to match: the text must contain one of a few literal
 * words. Derived from the pattern text conservatively by a small recursive parse: a literal run
 * of word characters is required unless quantified; a group is required (as the union of its
 * alternatives' requirements) unless it is optional; an alternation with an alternative that
 * requires nothing requires nothing. When nothing can be derived the regex always runs.
 */
record LiteralPrefilter(List<String> anyOf, boolean ignoreCase) {
    static final LiteralPrefilter NONE = new LiteralPrefilter(List.of(), false);
    private static final int MIN_LENGTH = 3;
    private static final int MAX_WORDS = 16;
    private static final java.util.regex.Pattern LEADING_FLAGS = java.util.regex.Pattern.compile("\\(\\?([imsU]+)\\)");
    /** "(?" not preceded by a backslash: a group with flags or a special syntax. */
    private static final java.util.regex.Pattern INNER_GROUP_SYNTAX = java.util.regex.Pattern.compile("(^|[^\\\\])\\(\\?");

    boolean mayMatch(SourceText src) {
        if (anyOf.isEmpty()) {
            return true;
        }
        String text = ignoreCase ? src.lowerCaseText() : src.text();
        for (String w : anyOf) {
            if (text.contains(w)) {
                return true;
            }
        }
        return false;
    }

    static LiteralPrefilter of(String regex) {
        boolean ignoreCase = false;
        String p = regex;
        java.util.regex.Matcher flags = LEADING_FLAGS.matcher(p);
        if (flags.lookingAt()) {
            ignoreCase = flags.group(1).indexOf('i') >= 0;
            p = p.substring(flags.end());
        }
        if (INNER_GROUP_SYNTAX.matcher(p).find() || p.contains("\\Q")) {
            return NONE; // flags, named or non-capturing groups, quoting: always run
        }
        Parser parser = new Parser(p);
        Set<String> words = parser.alternation();
        if (words == null || words.isEmpty() || words.size() > MAX_WORDS || parser.pos != p.length()) {
            return NONE;
        }
        List<String> list = new ArrayList<>();
        for (String w : words) {
            list.add(ignoreCase ? w.toLowerCase(Locale.ROOT) : w);
        }
        return new LiteralPrefilter(List.copyOf(list), ignoreCase);
    }

    /** Returns, for each construct, a set of words one of which every match contains, or null. */
    private static final class Parser {
        private final String p;
        int pos;

        Parser(String p) {
            this.p = p;
        }

        Set<String> alternation() {
            Set<String> union = new LinkedHashSet<>();
            boolean allRequired = true;
            while (true) {
                Set<String> alt = sequence();
                if (alt == null) {
                    allRequired = false;
                } else {
                    union.addAll(alt);
                }
                if (pos < p.length() && p.charAt(pos) == '|') {
                    pos++;
                    continue;
                }
                return allRequired ? union : null;
            }
        }

        private Set<String> sequence() {
            List<Set<String>> required = new ArrayList<>();
            StringBuilder run = new StringBuilder();
            while (pos < p.length() && p.charAt(pos) != '|' && p.charAt(pos) != ')') {
                char c = p.charAt(pos);
                Set<String> item;
                boolean wordChar = false;
                if (c == '(') {
                    pos++;
                    item = alternation();
                    if (pos < p.length() && p.charAt(pos) == ')') {
                        pos++;
                    }
                } else if (c == '[') {
                    skipClass();
                    item = null;
                } else if (c == '\\') {
                    pos += 2;
                    if (pos <= p.length() && (p.charAt(pos - 1) == 'p' || p.charAt(pos - 1) == 'P')
                            && pos < p.length() && p.charAt(pos) == '{') {
                        skipTo('}');
                    }
                    item = null;
                } else {
                    pos++;
                    wordChar = Character.isLetterOrDigit(c) || c == '_';
                    item = null;
                }
                boolean optional = quantifier();
                if (wordChar && !optional) {
                    run.append(c);
                    if (quantifiedPlus) {
                        flush(run, required);
                    }
                } else {
                    flush(run, required);
                    if (item != null && !optional) {
                        required.add(item);
                    }
                }
            }
            flush(run, required);
            return required.stream()
                    .filter(s -> !s.isEmpty())
                    .max(Comparator.comparingInt(Parser::strength))
                    .orElse(null);
        }

        private boolean quantifiedPlus;

        /** Consumes a quantifier; true when it allows zero repetitions. */
        private boolean quantifier() {
            quantifiedPlus = false;
            if (pos >= p.length()) {
                return false;
            }
            char q = p.charAt(pos);
            boolean optional;
            if (q == '?' || q == '*') {
                pos++;
                optional = true;
            } else if (q == '+') {
                pos++;
                optional = false;
                quantifiedPlus = true;
            } else if (q == '{') {
                int close = p.indexOf('}', pos);
                String body = close < 0 ? "" : p.substring(pos + 1, close);
                pos = close < 0 ? p.length() : close + 1;
                optional = body.startsWith("0") || body.startsWith(",");
                quantifiedPlus = true;
            } else {
                return false;
            }
            if (pos < p.length() && (p.charAt(pos) == '?' || p.charAt(pos) == '+')) {
                pos++; // lazy or possessive marker
            }
            return optional;
        }

        private void skipClass() {
            pos++;
            if (pos < p.length() && p.charAt(pos) == '^') {
                pos++;
            }
            if (pos < p.length() && p.charAt(pos) == ']') {
                pos++;
            }
            while (pos < p.length() && p.charAt(pos) != ']') {
                pos += p.charAt(pos) == '\\' ? 2 : 1;
            }
            pos++;
        }

        private void skipTo(char c) {
            int close = p.indexOf(c, pos);
            pos = close < 0 ? p.length() : close + 1;
        }

        private static void flush(StringBuilder run, List<Set<String>> required) {
            if (run.length() >= MIN_LENGTH) {
                required.add(Set.of(run.toString()));
            }
            run.setLength(0);
        }

        /** Prefer sets whose shortest word is longest (fewer chance hits), then smaller sets. */
        private static int strength(Set<String> s) {
            int min = s.stream().mapToInt(String::length).min().orElse(0);
            return min * 64 - s.size();
        }
    }
}
