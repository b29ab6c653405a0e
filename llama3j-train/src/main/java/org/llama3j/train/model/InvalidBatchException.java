package org.llama3j.train.model;

/** A training batch that does not match the model (names the array, position and value). */
public final class InvalidBatchException extends IllegalArgumentException {
    public InvalidBatchException(String message) {
        super(message);
    }
}
