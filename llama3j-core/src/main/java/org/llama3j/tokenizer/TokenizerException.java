package org.llama3j.tokenizer;

/** A tokenizer file, vocabulary or request is unusable; the message names what and why. */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
