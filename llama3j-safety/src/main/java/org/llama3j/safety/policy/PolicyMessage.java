package org.llama3j.safety.policy;

import java.util.Objects;

/** A chat message as a server receives it: role ({@code system}, {@code user}, {@code assistant}, {@code tool}, ...) and text. */
public record PolicyMessage(String role, String content) {
    public PolicyMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static PolicyMessage user(String content) {
        return new PolicyMessage("user", content);
    }

    public static PolicyMessage assistant(String content) {
        return new PolicyMessage("assistant", content);
    }

    public static PolicyMessage system(String content) {
        return new PolicyMessage("system", content);
    }
}
