package org.llama3j.safety.guard;

import java.util.Objects;

/** One conversation turn. */
public record GuardMessage(GuardRole role, String content) {
    public GuardMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
