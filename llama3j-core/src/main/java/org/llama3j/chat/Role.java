package org.llama3j.chat;

/**
 * Llama 3 message roles and their header text. Tool results use the {@code ipython} header (Meta
 * llama-models {@code chat_format.py} {@code role_str}: {@code Role.tool -> "ipython"}).
 */
public enum Role {
    SYSTEM("system"),
    USER("user"),
    ASSISTANT("assistant"),
    IPYTHON("ipython");

    private final String header;

    Role(String header) {
        this.header = header;
    }

    /** Text between {@code <|start_header_id|>} and {@code <|end_header_id|>}. */
    public String header() {
        return header;
    }

    /** Parses a role name; {@code tool} is an alias of {@code ipython}. */
    public static Role parse(String name) {
        return switch (name) {
            case "system" -> SYSTEM;
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            case "ipython", "tool" -> IPYTHON;
            default -> throw new ChatFormatException("unknown chat role '" + name
                    + "' (expected system, user, assistant, ipython or tool)");
        };
    }
}
