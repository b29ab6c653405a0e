package org.llama3j.data;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One pretraining document: an id, its text, and free-form metadata (e.g. {@code source}, {@code url},
 * {@code date}, {@code language}). Metadata values are JSON-compatible (String, Number, Boolean, List, Map).
 * Immutable; steps that rewrite text return a new instance via {@link #withText}.
 */
public record Document(String id, String text, Map<String, Object> metadata) implements Serializable {

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public Document(String id, String text) {
        this(id, text, Map.of());
    }

    /** The metadata value under {@code key} as a string, or null when absent. */
    public String meta(String key) {
        Object v = metadata.get(key);
        return v == null ? null : v.toString();
    }

    public Document withText(String newText) {
        return new Document(id, newText, metadata);
    }

    public Document withMeta(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new Document(id, text, m);
    }
}
