package org.llama3j.eval.harness;

/** A task file that does not follow the JSONL task format; the message names the file and line. */
public final class TaskFormatException extends IllegalArgumentException {
    public TaskFormatException(String message) {
        super(message);
    }
}
