package org.llama3j.generate;

/** Receives generated tokens as they are produced, with the text they complete (may be empty). */
@FunctionalInterface
public interface TokenListener {
    void onToken(int tokenId, String text);

    TokenListener NONE = (id, text) -> { };
}
