package org.llama3j.safety.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which prompt a guard builds: {@code guard2}, {@code guard3} (the published formats and
 * categories) or a category file — a YAML or JSON list of {@code {code, name, description}}
 * ({@code code} like {@code S1}, unique; {@code description} optional) — written in the Llama
 * Guard 3 format with each description under its name (llama-recipes' {@code with_policy}).
 */
public final class GuardTaxonomy {
    private static final Pattern CODE = Pattern.compile("S[1-9][0-9]?");

    private GuardTaxonomy() {
    }

    /** Resolves {@code guard2}, {@code guard3} or the path of a category file. */
    public static GuardPromptBuilder resolve(String spec) throws IOException {
        return switch (spec.strip().toLowerCase(Locale.ROOT)) {
            case "guard2", "llama-guard-2" -> GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_2);
            case "guard3", "llama-guard-3" -> GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3);
            default -> load(Path.of(spec));
        };
    }

    /** Reads a category file (YAML or JSON: JSON is YAML). */
    public static GuardPromptBuilder load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new GuardPromptException("taxonomy " + file + ": not valid YAML/JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new GuardPromptException("taxonomy " + file + ": expected a non-empty list of {code, name, description}");
        }
        Map<String, SafetyCategory> categories = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            String where = "taxonomy " + file + " entry " + i;
            if (!n.isObject()) {
                throw new GuardPromptException(where + ": expected an object with code, name, description");
            }
            String code = text(n, "code", where);
            String name = text(n, "name", where);
            if (!CODE.matcher(code).matches()) {
                throw new GuardPromptException(where + ": code '" + code + "' must look like S1..S99");
            }
            if (categories.containsKey(code)) {
                throw new GuardPromptException(where + ": duplicate code " + code);
            }
            JsonNode d = n.get("description");
            if (d != null && !d.isNull() && !d.isTextual()) {
                throw new GuardPromptException(where + ": description must be a string");
            }
            categories.put(code, new SafetyCategory(name, d == null || d.isNull() ? "" : d.asText().strip()));
        }
        return GuardPromptBuilder.of(GuardVersion.LLAMA_GUARD_3).withCodedCategories(categories).withPolicy(true);
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new GuardPromptException(where + ": missing or non-string '" + field + "'");
        }
        return v.asText().strip();
    }
}
