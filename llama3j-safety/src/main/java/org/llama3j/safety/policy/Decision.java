package org.llama3j.safety.policy;

import java.util.List;
import java.util.Objects;

/** What {@link SafetyPolicy} decided about an input or an output. */
public sealed interface Decision {
    boolean allowed();

    /** Pass; {@code notes} are non-blocking observations (Code Shield warnings) worth logging. */
    record Allow(List<String> notes) implements Decision {
        public Allow {
            notes = List.copyOf(notes);
        }

        @Override
        public boolean allowed() {
            return true;
        }
    }

    /**
     * Refuse. {@code reason} is one line for logs and error bodies; {@code categories} are Llama
     * Guard codes ({@code S1}) or Code Shield CWEs ({@code CWE-78}).
     */
    record Block(String reason, List<String> categories) implements Decision {
        public Block {
            Objects.requireNonNull(reason, "reason");
            categories = List.copyOf(categories);
        }

        @Override
        public boolean allowed() {
            return false;
        }
    }

    static Decision allow() {
        return new Allow(List.of());
    }
}
