package org.llama3j.train.checkpoint;

/** A checkpoint that cannot be written, or read back intact; the message names the file. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
