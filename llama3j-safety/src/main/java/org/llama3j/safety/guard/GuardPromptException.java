package org.llama3j.safety.guard;

/** A conversation or category list that cannot be turned into a Llama Guard prompt. */
public final class GuardPromptException extends IllegalArgumentException {
    public GuardPromptException(String message) {
        super(message);
    }
}
