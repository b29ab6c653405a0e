package org.llama3j.data.text;

import java.io.Serializable;
import java.util.List;

/**
 * Turns text into the tokens that mixing and the KL-divergence filter count. The default splits on
 * whitespace; a tokenizer-backed implementation (core's BPE tokenizer) can be plugged in via {@link #named}.
 */
public interface TokenCounter extends Serializable {

    List<String> tokens(String text);

    default long count(String text) {
        return tokens(text).size();
    }

    static TokenCounter named(String name) {
        return switch (name) {
            case "whitespace" -> WhitespaceTokens.INSTANCE;
            default -> throw new IllegalArgumentException("unknown tokenizer '" + name + "' (known: whitespace)");
        };
    }

    /** Maximal runs of non-whitespace characters. */
    enum WhitespaceTokens implements TokenCounter {
        INSTANCE;

        @Override
        public List<String> tokens(String text) {
            String t = text.strip();
            return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
        }

        @Override
        public long count(String text) {
            long c = 0;
            boolean in = false;
            for (int i = 0; i < text.length(); i++) {
                boolean ws = Character.isWhitespace(text.charAt(i));
                if (!ws && !in) {
                    c++;
                }
                in = !ws;
            }
            return c;
        }
    }
}
