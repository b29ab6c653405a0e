package org.llama3j.safety.guard;

/** Model output that is not a Llama Guard verdict ({@code safe} or {@code unsafe\nS1,S2}). */
public final class GuardVerdictException extends IllegalArgumentException {
    public GuardVerdictException(String message) {
        super(message);
    }
}
