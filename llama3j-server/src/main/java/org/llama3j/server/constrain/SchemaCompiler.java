package org.llama3j.server.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema document → {@link Schema}. Supported: {@code type} (object, array, string, number,
 * integer, boolean, null), {@code properties}, {@code required}, {@code additionalProperties: false},
 * {@code items}, {@code minItems}, {@code maxItems}, string {@code enum} / {@code const}; annotations
 * ({@code title}, {@code description}, {@code default}, {@code examples}, {@code format}, {@code $schema})
 * are ignored. Anything else would be silently violated, so it is refused, naming the keyword.
 */
public final class SchemaCompiler {
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "format",
            "$schema", "$id", "$comment", "strict");
    private static final Set<String> SUPPORTED = Set.of("type", "properties", "required", "additionalProperties",
            "items", "minItems", "maxItems", "enum", "const");

    private SchemaCompiler() {
    }

    /**
     * Compiles a schema whose root is an object (OpenAI's structured outputs require that).
     *
     * @throws SchemaException naming the unsupported or malformed part
     */
    public static Schema.Obj compileRoot(JsonNode schema) {
        Schema s = compile(schema, "schema");
        if (!(s instanceof Schema.Obj o)) {
            throw new SchemaException("schema: the root must be an object schema (\"type\": \"object\")");
        }
        return o;
    }

    static Schema compile(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new SchemaException(path + ": a schema must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!SUPPORTED.contains(k) && !ANNOTATIONS.contains(k)) {
                throw new SchemaException(path + ": keyword '" + k + "' is not supported by llama3j's constrained decoding");
            }
        }
        if (node.has("enum") || node.has("const")) {
            return strings(node, path);
        }
        JsonNode type = node.get("type");
        if (type == null) {
            if (node.has("properties")) {
                return object(node, path);
            }
            if (node.has("items")) {
                return array(node, path);
            }
            return new Schema.Any();
        }
        if (!type.isTextual()) {
            throw new SchemaException(path + ".type: only a single type name is supported, got " + type);
        }
        return switch (type.textValue()) {
            case "object" -> object(node, path);
            case "array" -> array(node, path);
            case "string" -> new Schema.Str(null);
            case "number" -> new Schema.Num(false);
            case "integer" -> new Schema.Num(true);
            case "boolean" -> new Schema.Bool();
            case "null" -> new Schema.Null();
            default -> throw new SchemaException(path + ".type: unknown type '" + type.textValue() + "'");
        };
    }

    private static Schema object(JsonNode node, String path) {
        JsonNode props = node.get("properties");
        JsonNode additional = node.get("additionalProperties");
        if (additional != null && !(additional.isBoolean() && !additional.booleanValue())) {
            if (props != null && !props.isEmpty()) {
                throw new SchemaException(path + ".additionalProperties: only false is supported next to properties");
            }
        }
        if (props == null || props.isEmpty()) {
            if (node.has("required") && !node.get("required").isEmpty()) {
                throw new SchemaException(path + ".required: names properties that are not declared");
            }
            return Schema.Obj.ANY;
        }
        if (!props.isObject()) {
            throw new SchemaException(path + ".properties: must be an object");
        }
        List<String> names = new ArrayList<>();
        List<Schema> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            checkPlain(e.getKey(), path + ".properties");
            names.add(e.getKey());
            values.add(compile(e.getValue(), path + ".properties." + e.getKey()));
        }
        Set<String> required = new HashSet<>();
        JsonNode req = node.get("required");
        if (req != null) {
            if (!req.isArray()) {
                throw new SchemaException(path + ".required: must be an array of property names");
            }
            for (JsonNode r : req) {
                if (!r.isTextual() || !names.contains(r.textValue())) {
                    throw new SchemaException(path + ".required: '" + r.asText() + "' is not a declared property");
                }
                required.add(r.textValue());
            }
        }
        return new Schema.Obj(List.copyOf(names), List.copyOf(values), Set.copyOf(required));
    }

    private static Schema array(JsonNode node, String path) {
        JsonNode items = node.get("items");
        Schema itemSchema = items == null ? new Schema.Any() : compile(items, path + ".items");
        int min = count(node, "minItems", 0, path);
        int max = count(node, "maxItems", Integer.MAX_VALUE, path);
        if (min > max) {
            throw new SchemaException(path + ": minItems " + min + " exceeds maxItems " + max);
        }
        return new Schema.Arr(itemSchema, min, max);
    }

    private static Schema strings(JsonNode node, String path) {
        List<String> values = new ArrayList<>();
        if (node.has("const")) {
            values.add(plainString(node.get("const"), path + ".const"));
        } else {
            JsonNode e = node.get("enum");
            if (!e.isArray() || e.isEmpty()) {
                throw new SchemaException(path + ".enum: must be a non-empty array");
            }
            for (JsonNode v : e) {
                values.add(plainString(v, path + ".enum"));
            }
        }
        return new Schema.Str(List.copyOf(values));
    }

    private static String plainString(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw new SchemaException(path + ": only string values are supported, got " + v);
        }
        checkPlain(v.textValue(), path);
        return v.textValue();
    }

    /** Names and enum values are matched byte for byte, so they must need no JSON escaping. */
    private static void checkPlain(String s, String path) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                throw new SchemaException(path + ": '" + s + "' contains a character that needs escaping (unsupported)");
            }
        }
    }

    private static int count(JsonNode node, String key, int fallback, String path) {
        JsonNode v = node.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
            throw new SchemaException(path + "." + key + ": must be a non-negative integer");
        }
        return v.intValue();
    }
}
