package org.llama3j.safety.guard;

/**
 * One unsafe-content category. {@code name} is written exactly as given (the published
 * Llama Guard 2 names end in ". ", with a trailing space); {@code description} is only written
 * when the builder includes the policy text, and may be empty.
 */
public record SafetyCategory(String name, String description) {
    public SafetyCategory {
        if (name == null || name.isBlank()) {
            throw new GuardPromptException("safety category name is blank");
        }
        if (name.indexOf('\n') >= 0) {
            throw new GuardPromptException("safety category name '" + name.strip() + "' contains a newline");
        }
        description = description == null ? "" : description;
    }

    public static SafetyCategory named(String name) {
        return new SafetyCategory(name, "");
    }
}
