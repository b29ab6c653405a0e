package org.llama3j.data.corpus;

import java.util.List;
import java.util.Set;

/**
 * Turns one line of the tagged Brown corpus ({@code word/tag word/tag ...}) back into plain text.
 *
 * <p>The tag is everything after the last {@code /} (words such as {@code 1/2} contain slashes).
 * Brown writes opening quotes as {@code ``} and closing quotes as {@code ''} (Francis &amp; Kučera's
 * manual, "Punctuation"); both become {@code "}. Closing punctuation attaches to the word before it and
 * an opening quote or parenthesis to the word after it; everything else is separated by one space.
 */
public final class BrownDetokenizer {

    private static final Set<String> NO_SPACE_BEFORE = Set.of(".", ",", ";", ":", "?", "!", ")", "''");
    private static final Set<String> NO_SPACE_AFTER = Set.of("``", "(");

    private BrownDetokenizer() {
    }

    /** The word of a {@code word/tag} token (a token without a slash is returned as is). */
    public static String word(String token) {
        int slash = token.lastIndexOf('/');
        return slash < 0 ? token : token.substring(0, slash);
    }

    /** Plain text of one tagged line; an empty string for a blank line. */
    public static String sentence(String taggedLine) {
        String trimmed = taggedLine.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return join(List.of(trimmed.split("\\s+")).stream().map(BrownDetokenizer::word).toList());
    }

    static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        String prev = null;
        for (String w : words) {
            if (!sb.isEmpty() && !NO_SPACE_BEFORE.contains(w) && !NO_SPACE_AFTER.contains(prev)) {
                sb.append(' ');
            }
            sb.append(w.equals("``") || w.equals("''") ? "\"" : w);
            prev = w;
        }
        return sb.toString();
    }
}
