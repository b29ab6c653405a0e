package org.llama3j.train.trainer;

/** A trainer config that cannot be used; the message names the file and the key. */
public final class TrainerConfigException extends RuntimeException {
    public TrainerConfigException(String message) {
        super(message);
    }

    public TrainerConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
