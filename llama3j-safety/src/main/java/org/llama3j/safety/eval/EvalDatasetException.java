package org.llama3j.safety.eval;

/** A dataset file or record that cannot be used; the message names the file, the line and the field. */
public final class EvalDatasetException extends IllegalArgumentException {
    public EvalDatasetException(String message) {
        super(message);
    }
}
