package org.llama3j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a request object's fields. Every wrong type or out-of-range value becomes a 400
 * naming the field ({@code param}) and what was expected; absent and {@code null} fields take the default.
 */
public final class Fields {
    private final ObjectNode node;
    private final String prefix;

    public Fields(ObjectNode node) {
        this(node, "");
    }

    private Fields(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    public ObjectNode node() {
        return node;
    }

    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    public JsonNode get(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    public String param(String name) {
        return prefix + name;
    }

    public String string(String name, String fallback) {
        JsonNode v = get(name);
        if (v == null) return fallback;
        if (!v.isTextual()) throw wrongType(name, "a string", v);
        return v.textValue();
    }

    public String requireString(String name) {
        String s = string(name, null);
        if (s == null) throw ApiException.badRequest("'" + param(name) + "' is required", param(name));
        return s;
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode v = get(name);
        if (v == null) return fallback;
        if (!v.isBoolean()) throw wrongType(name, "a boolean", v);
        return v.booleanValue();
    }

    public double number(String name, double fallback, double min, double max) {
        JsonNode v = get(name);
        if (v == null) return fallback;
        if (!v.isNumber()) throw wrongType(name, "a number", v);
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw ApiException.badRequest("'" + param(name) + "' must be between " + fmt(min) + " and " + fmt(max)
                    + ", got " + v.asText(), param(name));
        }
        return d;
    }

    /** An integer in {@code [min, max]}; {@code null} when absent. */
    public Long integer(String name, long min, long max) {
        JsonNode v = get(name);
        if (v == null) return null;
        if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
            throw wrongType(name, "an integer", v);
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ApiException.badRequest("'" + param(name) + "' must be between " + min + " and " + max + ", got "
                    + v.asText(), param(name));
        }
        return v.longValue();
    }

    public int integer(String name, int fallback, int min, int max) {
        Long v = integer(name, (long) min, (long) max);
        return v == null ? fallback : v.intValue();
    }

    /** A nested object, or null. */
    public Fields object(String name) {
        JsonNode v = get(name);
        if (v == null) return null;
        if (!(v instanceof ObjectNode o)) throw wrongType(name, "an object", v);
        return new Fields(o, param(name) + ".");
    }

    /** An array, or null. */
    public List<JsonNode> array(String name) {
        JsonNode v = get(name);
        if (v == null) return null;
        if (!v.isArray()) throw wrongType(name, "an array", v);
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** Wraps an element of an array field as an object. */
    public Fields element(String arrayName, int index, JsonNode element) {
        String p = param(arrayName) + "[" + index + "]";
        if (!(element instanceof ObjectNode o)) {
            throw ApiException.badRequest("'" + p + "' must be an object, got " + Json.describe(element), p);
        }
        return new Fields(o, p + ".");
    }

    /** OpenAI's {@code stop}: absent, a string, or an array of at most {@code max} non-empty strings. */
    public List<String> stopStrings(String name, int max) {
        JsonNode v = get(name);
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.textValue());
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isTextual()) throw wrongType(name, "a string or an array of strings", v);
                out.add(e.textValue());
            }
        } else {
            throw wrongType(name, "a string or an array of strings", v);
        }
        if (out.size() > max) {
            throw ApiException.badRequest("'" + param(name) + "' may hold at most " + max + " strings, got " + out.size(),
                    param(name));
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badRequest("'" + param(name) + "' must not contain an empty string", param(name));
        }
        return out;
    }

    public ApiException wrongType(String name, String expected, JsonNode got) {
        return ApiException.badRequest("'" + param(name) + "' must be " + expected + ", got " + Json.describe(got),
                param(name));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
