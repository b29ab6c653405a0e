package org.llama3j.posttrain.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llama3j.chat.ChatFormatException;
import org.llama3j.chat.Message;
import org.llama3j.chat.Role;

/**
 * The JSONL record formats of post-training.
 * <ul>
 *   <li>SFT: {@code {"messages": [{"role": "system"|"user"|"assistant"|"ipython"|"tool", "content": "…"}, …]}}
 *       ending with a non-empty assistant message, or Alpaca's {@code {"instruction", "input"?, "output"}}
 *       (user = instruction, then a blank line and the input when there is one; assistant = output), or a plain
 *       document {@code {"text": "…"}} trained on every token, {@code <|begin_of_text|> … <|end_of_text|>}.</li>
 *   <li>Preferences: {@code {"prompt": "…" | [messages], "chosen": "…", "rejected": "…"}}, chosen ≠ rejected.</li>
 *   <li>Prompts: {@code {"prompt": "…" | [messages], "answer"?: "…"}}.</li>
 * </ul>
 */
public final class ChatRecords {

    private ChatRecords() {
    }

    public static Validated<ChatExample> readSft(Path file) throws IOException {
        return JsonlRecords.read(file, ChatRecords::sft);
    }

    public static Validated<PreferenceExample> readPreferences(Path file) throws IOException {
        return JsonlRecords.read(file, ChatRecords::preference);
    }

    public static Validated<PromptExample> readPrompts(Path file) throws IOException {
        return JsonlRecords.read(file, ChatRecords::prompt);
    }

    static ChatExample sft(JsonNode record, int line) {
        if (record.has("messages")) {
            List<Message> messages = messages(record.get("messages"), "messages");
            Message last = messages.getLast();
            if (last.role() != Role.ASSISTANT) {
                throw JsonlRecords.problem("last message must be the assistant's, got " + last.role().header());
            }
            return new ChatExample(messages, line);
        }
        if (record.has("instruction") || record.has("output")) {
            String instruction = JsonlRecords.requiredText(record, "instruction");
            String input = JsonlRecords.optionalText(record, "input");
            String output = JsonlRecords.requiredText(record, "output");
            String user = input.isBlank() ? instruction : instruction + "\n\n" + input;
            return new ChatExample(List.of(Message.user(user), Message.assistant(output)), line);
        }
        if (record.has("text")) {
            return ChatExample.plainText(JsonlRecords.requiredText(record, "text"), line);
        }
        throw JsonlRecords.problem("record has neither 'messages', Alpaca 'instruction'/'output' nor 'text'");
    }

    static PreferenceExample preference(JsonNode record, int line) {
        List<Message> prompt = promptOf(record);
        String chosen = JsonlRecords.requiredText(record, "chosen");
        String rejected = JsonlRecords.requiredText(record, "rejected");
        if (chosen.strip().equals(rejected.strip())) {
            throw JsonlRecords.problem("chosen == rejected (no preference to learn)");
        }
        return new PreferenceExample(prompt, chosen, rejected, line);
    }

    static PromptExample prompt(JsonNode record, int line) {
        return new PromptExample(promptOf(record), JsonlRecords.optionalText(record, "answer"), line);
    }

    private static List<Message> promptOf(JsonNode record) {
        JsonNode p = record.get("prompt");
        if (p == null || p.isNull()) {
            throw JsonlRecords.problem("missing field 'prompt'");
        }
        if (p.isTextual()) {
            if (p.asText().isBlank()) {
                throw JsonlRecords.problem("field 'prompt' is empty");
            }
            return List.of(Message.user(p.asText()));
        }
        List<Message> messages = messages(p, "prompt");
        if (messages.getLast().role() == Role.ASSISTANT) {
            throw JsonlRecords.problem("prompt must not end with an assistant message");
        }
        return messages;
    }

    /** A non-empty list of messages, each with a known role and non-empty string content. */
    private static List<Message> messages(JsonNode list, String field) {
        if (!list.isArray() || list.isEmpty()) {
            throw JsonlRecords.problem("'" + field + "' must be a non-empty array of messages");
        }
        List<Message> out = new ArrayList<>();
        boolean assistant = false;
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String where = field + "[" + i + "]";
            if (!m.isObject()) {
                throw JsonlRecords.problem(where + " is not an object");
            }
            JsonNode roleNode = m.get("role");
            if (roleNode == null || !roleNode.isTextual() || roleNode.asText().isBlank()) {
                throw JsonlRecords.problem(where + " has no role");
            }
            Role role;
            try {
                role = Role.parse(roleNode.asText());
            } catch (ChatFormatException e) {
                throw JsonlRecords.problem(where + ": " + e.getMessage());
            }
            JsonNode content = m.get("content");
            if (content == null || !content.isTextual()) {
                throw JsonlRecords.problem(where + " (" + role.header() + ") has no string content");
            }
            if (content.asText().isBlank() && role == Role.ASSISTANT) {
                throw JsonlRecords.problem(where + " (assistant) is empty");
            }
            assistant |= role == Role.ASSISTANT;
            out.add(new Message(role, content.asText(), false, false));
        }
        if (field.equals("messages") && !assistant) {
            throw JsonlRecords.problem("no assistant message");
        }
        return out;
    }
}
