package org.llama3j.safety.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a conversation from chat-style JSON: a list of {@code {"role", "content"}} objects, or an
 * object with such a list under {@code "messages"} (an OpenAI chat request body). Roles are
 * {@code user}, and {@code assistant} or {@code agent}; {@code system} messages are skipped, since
 * the Llama Guard prompt has no place for them. The rest is validated by {@link Conversation}.
 * Every problem is a {@link GuardPromptException} naming the source, the message index and the field.
 */
public final class ConversationJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConversationJson() {
    }

    public static Conversation parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new GuardPromptException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root != null && root.isObject() && root.has("messages")) {
            root = root.get("messages");
        }
        if (root == null || !root.isArray()) {
            throw new GuardPromptException(source + ": expected a JSON list of {role, content} messages or {\"messages\": [...]}");
        }
        List<GuardMessage> messages = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode m = root.get(i);
            String where = source + ": message " + i;
            if (!m.isObject()) {
                throw new GuardPromptException(where + " is not an object");
            }
            JsonNode role = m.get("role");
            JsonNode content = m.get("content");
            if (role == null || !role.isTextual()) {
                throw new GuardPromptException(where + " has no string 'role'");
            }
            if (content == null || !content.isTextual()) {
                throw new GuardPromptException(where + " has no string 'content'");
            }
            GuardRole r = switch (role.asText().toLowerCase(Locale.ROOT)) {
                case "user" -> GuardRole.USER;
                case "assistant", "agent" -> GuardRole.AGENT;
                case "system" -> null;
                default -> throw new GuardPromptException(where + " has unknown role '" + role.asText()
                        + "' (expected user, assistant, agent or system)");
            };
            if (r != null) {
                messages.add(new GuardMessage(r, content.asText()));
            }
        }
        return new Conversation(messages);
    }
}
