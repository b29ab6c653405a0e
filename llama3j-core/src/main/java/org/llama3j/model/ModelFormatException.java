package org.llama3j.model;

/** A checkpoint that cannot be turned into a model: what is missing or inconsistent, and where. */
public final class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
