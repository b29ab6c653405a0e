package org.llama3j.cli;

/** A problem with what the user asked for, reported as one line and exit code 2. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }
}
