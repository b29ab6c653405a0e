package org.llama3j.server.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.llama3j.chat.ChatFormatException;
import org.llama3j.chat.Message;
import org.llama3j.chat.Role;
import org.llama3j.server.http.ApiException;
import org.llama3j.server.http.Fields;
import org.llama3j.server.http.Json;
import org.llama3j.server.tools.ToolCalls;

/**
 * OpenAI chat messages → llama3j {@link Message}s: text content (a string or text parts), the
 * {@code developer} role as system, {@code tool} results under the ipython header, earlier assistant
 * {@code tool_calls} written back as the JSON the model produced, and tool definitions put before the
 * first user message.
 */
final class ChatMessages {
    private ChatMessages() {
    }

    static List<Message> parse(Fields request, String field, List<JsonNode> tools) {
        List<JsonNode> raw = request.array(field);
        if (raw == null) {
            throw ApiException.badRequest("'" + field + "' is required", field);
        }
        if (raw.isEmpty()) {
            throw ApiException.badRequest("'" + field + "' must hold at least one message", field);
        }
        List<Message> out = new ArrayList<>();
        boolean toolsPlaced = tools == null || tools.isEmpty();
        for (int i = 0; i < raw.size(); i++) {
            Fields m = request.element(field, i, raw.get(i));
            String roleName = m.requireString("role");
            Role role;
            try {
                role = roleName.equals("developer") ? Role.SYSTEM : Role.parse(roleName);
            } catch (ChatFormatException e) {
                throw ApiException.badRequest(e.getMessage(), m.param("role"));
            }
            String content = content(m);
            if (role == Role.ASSISTANT && m.has("tool_calls")) {
                content = toolCallContent(m, content);
            } else if (content == null) {
                throw ApiException.badRequest("'" + m.param("content") + "' is required for a " + roleName + " message",
                        m.param("content"));
            }
            if (role == Role.USER && !toolsPlaced) {
                content = ToolCalls.prompt(tools) + content;
                toolsPlaced = true;
            }
            out.add(new Message(role, content, false, false));
        }
        if (!toolsPlaced) {
            out.add(Message.user(ToolCalls.prompt(tools)));
        }
        return out;
    }

    /** A string, or an array of {@code {"type":"text","text":...}} parts joined; null when absent. */
    private static String content(Fields m) {
        JsonNode c = m.get("content");
        if (c == null) {
            return null;
        }
        if (c.isTextual()) {
            return c.textValue();
        }
        if (!c.isArray()) {
            throw m.wrongType("content", "a string or an array of content parts", c);
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (JsonNode part : c) {
            Fields p = m.element("content", i++, part);
            String type = p.requireString("type");
            if (!type.equals("text")) {
                throw ApiException.badRequest("content part type '" + type + "' is not supported (only text)",
                        p.param("type"));
            }
            sb.append(p.requireString("text"));
        }
        return sb.toString();
    }

    private static String toolCallContent(Fields m, String content) {
        List<JsonNode> calls = m.array("tool_calls");
        StringBuilder sb = new StringBuilder(content == null ? "" : content);
        for (int i = 0; i < calls.size(); i++) {
            Fields call = m.element("tool_calls", i, calls.get(i));
            Fields fn = call.object("function");
            if (fn == null) {
                throw ApiException.badRequest("'" + call.param("function") + "' is required", call.param("function"));
            }
            String name = fn.requireString("name");
            String args = fn.string("arguments", "{}");
            JsonNode parsed;
            try {
                parsed = Json.MAPPER.readTree(args);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("'" + fn.param("arguments") + "' is not valid JSON: "
                        + e.getOriginalMessage(), fn.param("arguments"));
            }
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(ToolCalls.render(name, parsed));
        }
        return sb.toString();
    }

    /** Checks {@code tools} and {@code tool_choice}; returns the tools to offer (empty for none). */
    static List<JsonNode> tools(Fields request) {
        return ToolCalls.definitions(request);
    }
}
