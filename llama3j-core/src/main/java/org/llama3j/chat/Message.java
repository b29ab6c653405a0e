package org.llama3j.chat;

import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One chat message.
 *
 * @param role         who speaks
 * @param content      the text
 * @param toolCall     an assistant tool call: the content follows {@code <|python_tag|>} and is not trimmed
 * @param endOfMessage end the message with {@code <|eom_id|>} instead of {@code <|eot_id|>}: the assistant
 *                     waits for a tool result (Meta llama-models {@code StopReason.end_of_message})
 */
public record Message(Role role, String content, boolean toolCall, boolean endOfMessage) {
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if ((toolCall || endOfMessage) && role != Role.ASSISTANT) {
            throw new ChatFormatException("only assistant messages can be tool calls or end with <|eom_id|>, not " + role);
        }
    }

    public static Message system(String content) {
        return new Message(Role.SYSTEM, content, false, false);
    }

    public static Message user(String content) {
        return new Message(Role.USER, content, false, false);
    }

    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content, false, false);
    }

    /** A tool's output, sent under the {@code ipython} header. */
    public static Message ipython(String content) {
        return new Message(Role.IPYTHON, content, false, false);
    }

    /** Code for the built-in code interpreter: {@code <|python_tag|>code<|eom_id|>}. */
    public static Message pythonCall(String code) {
        return new Message(Role.ASSISTANT, code, true, true);
    }

    /**
     * A built-in tool call as the Llama 3.1 template writes it: {@code <|python_tag|>name.call(k="v", ...)},
     * ended by {@code <|eom_id|>}.
     */
    public static Message builtinToolCall(String name, Map<String, String> arguments) {
        String args = arguments.entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(", "));
        return new Message(Role.ASSISTANT, name + ".call(" + args + ")", true, true);
    }
}
