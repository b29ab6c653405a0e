package org.llama3j.safety.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated conversation: non-empty, starting with the user, roles alternating user/agent,
 * no blank message. The role Llama Guard is asked about is the role of the last message
 * (so {@link GuardRole#AGENT} when the message count is even), as in llama-recipes'
 * {@code create_conversation} (src/llama_recipes/inference/prompt_format_utils.py).
 */
public record Conversation(List<GuardMessage> messages) {
    public Conversation {
        if (messages == null || messages.isEmpty()) {
            throw new GuardPromptException("conversation is empty: Llama Guard needs at least one user message");
        }
        messages = List.copyOf(messages);
        for (int i = 0; i < messages.size(); i++) {
            GuardMessage m = messages.get(i);
            GuardRole expected = i % 2 == 0 ? GuardRole.USER : GuardRole.AGENT;
            if (m.role() != expected) {
                throw new GuardPromptException("conversation message " + i + " has role " + m.role().label()
                        + " but roles must alternate starting with User (expected " + expected.label() + ")");
            }
            if (m.content().isBlank()) {
                throw new GuardPromptException("conversation message " + i + " (" + m.role().label() + ") is blank");
            }
        }
    }

    /** Builds a conversation from message texts, alternating User, Agent, User, ... */
    public static Conversation of(String... texts) {
        List<GuardMessage> list = new ArrayList<>(texts.length);
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] == null) {
                throw new GuardPromptException("conversation message " + i + " is null");
            }
            list.add(new GuardMessage(i % 2 == 0 ? GuardRole.USER : GuardRole.AGENT, texts[i]));
        }
        return new Conversation(list);
    }

    /** The role under assessment: that of the last message. */
    public GuardRole assessedRole() {
        return messages.getLast().role();
    }
}
