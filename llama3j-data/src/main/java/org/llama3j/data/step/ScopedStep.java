package org.llama3j.data.step;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.llama3j.data.Document;

/**
 * A per-document step applied only to documents whose metadata matches ({@code only:} in a pipeline
 * file, e.g. {@code only: {category: [general, multilingual]}}); other documents pass unchanged.
 * Real corpora need this: prose filters (Gopher, C4) would remove all source code, and a mail filter
 * has no business with prose. Every key must match (one of its values); a document without the key
 * does not match.
 */
public record ScopedStep(DocumentStep inner, Map<String, Set<String>> only) implements DocumentStep {

    public ScopedStep {
        Objects.requireNonNull(inner, "inner");
        if (only == null || only.isEmpty()) {
            throw new IllegalArgumentException("'only' needs at least one metadata key with values");
        }
        only.forEach((k, v) -> {
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException("'only." + k + "' needs at least one value");
            }
        });
        only = Map.copyOf(only);
    }

    public static ScopedStep of(DocumentStep inner, String key, List<String> values) {
        return new ScopedStep(inner, Map.of(key, Set.copyOf(values)));
    }

    /** Whether the inner step applies to {@code doc}. */
    public boolean applies(Document doc) {
        for (Map.Entry<String, Set<String>> e : only.entrySet()) {
            Object v = doc.metadata().get(e.getKey());
            if (v == null || !e.getValue().contains(v.toString())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Verdict process(Document doc) {
        return applies(doc) ? inner.process(doc) : Verdict.keep(doc);
    }

    @Override
    public String name() {
        return inner.name();
    }
}
