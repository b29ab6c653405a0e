package org.llama3j.safety.guard;

/** Who wrote a conversation turn; {@link #label()} is the word Llama Guard's prompt uses. */
public enum GuardRole {
    USER("User"),
    AGENT("Agent");

    private final String label;

    GuardRole(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
