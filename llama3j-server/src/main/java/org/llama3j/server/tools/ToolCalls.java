package org.llama3j.server.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llama3j.server.http.ApiException;
import org.llama3j.server.http.Fields;
import org.llama3j.server.http.Json;

/**
 * Llama 3.1 custom tool calling (Meta's "JSON based tool calling" prompt format, as the Llama 3.1
 * Instruct {@code chat_template} writes it with {@code tools_in_user_message}): the tool definitions go
 * before the first user message, and the model answers with {@code {"name": ..., "parameters": {...}}};
 * built-in tools answer with {@code <|python_tag|>name.call(key="value")}.
 */
public final class ToolCalls {
    public static final String PYTHON_TAG = "<|python_tag|>";

    /** The template's instruction text, verbatim (Llama 3.1 Instruct tokenizer_config.json chat_template). */
    private static final String INSTRUCTION = "Given the following functions, please respond with a JSON for a function"
            + " call with its proper arguments that best answers the given prompt.\n\n"
            + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}."
            + "Do not use variables.\n\n";

    private static final Pattern BUILTIN_CALL = Pattern.compile("^\\s*([A-Za-z_][\\w]*)\\.call\\((.*)\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern KWARG = Pattern.compile("\\s*([A-Za-z_]\\w*)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'|[^,]+)\\s*,?");

    /** A parsed call: the function name and its arguments as a JSON object text. */
    public record Call(String name, String argumentsJson) {
    }

    private ToolCalls() {
    }

    /**
     * Checks a request's {@code tools} (OpenAI's and Ollama's shape: {@code {"type": "function",
     * "function": {"name", "description", "parameters"}}}) and {@code tool_choice}; returns the tools
     * to offer, empty for none.
     */
    public static List<JsonNode> definitions(Fields request) {
        List<JsonNode> tools = request.array("tools");
        if (tools == null || tools.isEmpty()) {
            return List.of();
        }
        for (int i = 0; i < tools.size(); i++) {
            Fields t = request.element("tools", i, tools.get(i));
            String type = t.string("type", "function");
            if (!type.equals("function")) {
                throw ApiException.badRequest("tool type '" + type + "' is not supported (only function)", t.param("type"));
            }
            Fields fn = t.object("function");
            if (fn == null) {
                throw ApiException.badRequest("'" + t.param("function") + "' is required", t.param("function"));
            }
            fn.requireString("name");
        }
        JsonNode choice = request.get("tool_choice");
        if (choice != null) {
            if (choice.isTextual()) {
                switch (choice.textValue()) {
                    case "none" -> {
                        return List.of();
                    }
                    case "auto", "required" -> { }
                    default -> throw ApiException.badRequest("'tool_choice' must be none, auto, required or an object,"
                            + " got '" + choice.textValue() + "'", "tool_choice");
                }
            } else if (!choice.isObject()) {
                throw request.wrongType("tool_choice", "a string or an object", choice);
            }
        }
        return tools;
    }

    /** The text to put before the first user message: instruction and each tool as indented JSON. */
    public static String prompt(List<JsonNode> tools) {
        StringBuilder sb = new StringBuilder(INSTRUCTION);
        // Python json.dumps(indent=4): 4-space indent, arrays one element per line, "key": value
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                .withArrayIndenter(new DefaultIndenter("    ", "\n"));
        for (JsonNode tool : tools) {
            try {
                sb.append(Json.MAPPER.writer(pp).writeValueAsString(tool)).append("\n\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }

    /** How an earlier assistant tool call is written back into the dialog (the template's format). */
    public static String render(String name, JsonNode arguments) {
        return "{\"name\": \"" + name + "\", \"parameters\": " + pythonJson(arguments) + "}";
    }

    /** Python's {@code json.dumps} default layout, as the template's {@code tojson}: {@code {"a": 1, "b": [1, 2]}}. */
    public static String pythonJson(JsonNode node) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEntrySpacing(Separators.Spacing.AFTER)
                .withArrayValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultPrettyPrinter.NopIndenter())
                .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter());
        try {
            return Json.MAPPER.writer(pp).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether generated text so far could still turn out to be a tool call (so a stream holds it back). */
    public static boolean mayBeToolCall(String text) {
        String t = text.stripLeading();
        return t.isEmpty() || t.startsWith("{") || t.startsWith(PYTHON_TAG) || PYTHON_TAG.startsWith(t);
    }

    /** The tool call in the model's answer, or null when it answered in prose. */
    public static Call parse(String text) {
        String t = text.strip();
        boolean tagged = t.startsWith(PYTHON_TAG);
        if (tagged) {
            t = t.substring(PYTHON_TAG.length()).strip();
        }
        if (t.startsWith("{")) {
            try {
                JsonNode node = Json.MAPPER.readTree(t);
                if (node instanceof ObjectNode o && o.path("name").isTextual()) {
                    JsonNode args = o.has("parameters") ? o.get("parameters") : o.get("arguments");
                    if (args == null || args.isNull()) {
                        args = Json.object();
                    }
                    if (args.isTextual()) { // some models write the arguments as a JSON string
                        return new Call(o.get("name").textValue(), args.textValue());
                    }
                    return new Call(o.get("name").textValue(), Json.string(args));
                }
            } catch (JsonProcessingException e) {
                return null;
            }
            return null;
        }
        if (tagged) {
            Matcher m = BUILTIN_CALL.matcher(t);
            if (m.matches()) {
                Map<String, String> args = new LinkedHashMap<>();
                Matcher kv = KWARG.matcher(m.group(2));
                while (kv.find()) {
                    String v = kv.group(3) != null ? kv.group(3) : kv.group(4) != null ? kv.group(4) : kv.group(2).strip();
                    args.put(kv.group(1), v);
                }
                ObjectNode o = Json.object();
                args.forEach(o::put);
                return new Call(m.group(1), Json.string(o));
            }
        }
        return null;
    }
}
