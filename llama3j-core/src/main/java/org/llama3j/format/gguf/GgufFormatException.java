package org.llama3j.format.gguf;

/**
 * A GGUF file (or a metadata lookup on one) is malformed or not what the caller needs. The message
 * names the file and the problem.
 */
public class GgufFormatException extends RuntimeException {
    public GgufFormatException(String message) {
        super(message);
    }

    public GgufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
