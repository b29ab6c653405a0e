package org.llama3j.generate;

/**
 * Turns a stream of token ids into text without ever splitting a UTF-8 character: what a
 * tokenizer's streaming decoder provides to the {@link Generator}.
 */
public interface TextStream {
    /** Adds one token; returns the text it completes (possibly empty). */
    String accept(int tokenId);

    /** Ends the stream; returns any held-back text. */
    String finish();
}
