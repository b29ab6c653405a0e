package org.llama3j.train.model;

/** A {@link ModelShape} whose sizes do not fit together (names the field and the values). */
public final class InvalidModelShapeException extends IllegalArgumentException {
    public InvalidModelShapeException(String message) {
        super(message);
    }
}
