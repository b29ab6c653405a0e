package org.llama3j.server.openai;

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
import org.llama3j.server.http.Json;

/**
 * Llama 3.1 custom tool calling (Meta's "JSON based tool calling" prompt format, as the Llama 3.1
 * Instruct {@code chat_template} writes it with {@code tools_in_user_message}): the tool definitions go
 * before the first user message, and the model answers with {@code {"name": ..., "parameters": {...}}};
 * built-in tools answer with {@code <|python_tag|>name.call(key="value")}.
 */
final class ToolCalls {
    static final String PYTHON_TAG = "<|python_tag|>";

    /** The template's instruction text, verbatim (Llama 3.1 Instruct tokenizer_config.json chat_template). */
    private static final String INSTRUCTION = "Given the following functions, please respond with a JSON for a function"
            + " call with its proper arguments that best answers the given prompt.\n\n"
            + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}."
            + "Do not use variables.\n\n";

    private static final Pattern BUILTIN_CALL = Pattern.compile("^\\s*([A-Za-z_][\\w]*)\\.call\\((.*)\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern KWARG = Pattern.compile("\\s*([A-Za-z_]\\w*)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'|[^,]+)\\s*,?");

    record Call(String name, String argumentsJson) {
    }

    private ToolCalls() {
    }

    /** The text to put before the first user message: instruction and each tool as indented JSON. */
    static String prompt(List<JsonNode> tools) {
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
    static String render(String name, JsonNode arguments) {
        return "{\"name\": \"" + name + "\", \"parameters\": " + pythonJson(arguments) + "}";
    }

    /** Python's {@code json.dumps} default layout, as the template's {@code tojson}: {@code {"a": 1, "b": [1, 2]}}. */
    static String pythonJson(JsonNode node) {
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
    static boolean mayBeToolCall(String text) {
        String t = text.stripLeading();
        return t.isEmpty() || t.startsWith("{") || t.startsWith(PYTHON_TAG) || PYTHON_TAG.startsWith(t);
    }

    /** The tool call in the model's answer, or null when it answered in prose. */
    static Call parse(String text) {
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
