package org.llama3j.posttrain.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Typed, strict access to one mapping of a recipe: every read names its full key path in errors,
 * and {@link #finish} rejects keys nobody read (typos must not be silently ignored).
 */
final class YamlSection {

    private final Path file;
    private final String path;
    private final JsonNode node;
    private final Set<String> read = new HashSet<>();

    YamlSection(Path file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
        if (node != null && !node.isObject()) {
            throw error(path.isEmpty() ? "the recipe must be a mapping" : path + " must be a mapping");
        }
    }

    private String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    RecipeException error(String message) {
        return new RecipeException(file + ": " + message);
    }

    private JsonNode get(String name) {
        read.add(name);
        JsonNode v = node == null ? null : node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String name) {
        return node != null && node.has(name);
    }

    YamlSection section(String name) {
        return new YamlSection(file, key(name), get(name));
    }

    String text(String name, String fallback) {
        JsonNode v = get(name);
        if (v == null) {
            if (fallback == null) {
                throw error("missing key " + key(name));
            }
            return fallback;
        }
        if (!v.isValueNode()) {
            throw error(key(name) + " must be a string");
        }
        return v.asText();
    }

    /** A path relative to the recipe file's directory; null fallback = required, "" = optional (null). */
    Path path(String name, String fallback) {
        String t = text(name, fallback);
        if (t.isEmpty()) {
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        return dir.resolve(t).normalize();
    }

    /** One path or a list of paths (relative to the recipe's directory); required. */
    java.util.List<Path> paths(String name) {
        JsonNode v = node == null ? null : node.get(name);
        if (v != null && v.isArray()) {
            read.add(name);
            if (v.isEmpty()) {
                throw error(key(name) + " must not be an empty list");
            }
            java.util.List<Path> out = new java.util.ArrayList<>();
            Path dir = file.toAbsolutePath().getParent();
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw error(key(name) + " must be a path or a list of paths");
                }
                out.add(dir.resolve(e.asText()).normalize());
            }
            return out;
        }
        return java.util.List.of(path(name, null));
    }

    /** One string or a list of strings. */
    java.util.List<String> texts(String name, java.util.List<String> fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (v.isTextual()) {
            return java.util.List.of(v.asText());
        }
        if (!v.isArray() || v.isEmpty()) {
            throw error(key(name) + " must be a string or a non-empty list of strings, got " + v);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw error(key(name) + " must be a string or a non-empty list of strings, got " + v);
            }
            out.add(e.asText());
        }
        return out;
    }

    int integer(String name, Integer fallback, int min) {
        JsonNode v = get(name);
        if (v == null) {
            if (fallback == null) {
                throw error("missing key " + key(name));
            }
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw error(key(name) + " must be an integer, got " + v);
        }
        if (v.asInt() < min) {
            throw error(key(name) + " must be >= " + min + ", got " + v.asInt());
        }
        return v.asInt();
    }

    double number(String name, double fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw error(key(name) + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(key(name) + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    void finish() {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!read.contains(k)) {
                throw error("unknown key " + key(k));
            }
        }
    }
}
