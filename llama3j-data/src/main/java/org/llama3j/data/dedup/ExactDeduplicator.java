package org.llama3j.data.dedup;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.Hashing;

/**
 * Exact document dedup: documents with the same content hash (128 bits of SHA-256 over the text, optionally
 * after lower-casing and collapsing whitespace) keep only the first in key order.
 */
public final class ExactDeduplicator implements GlobalStep<ExactDeduplicator.Signature, KeyRemovals> {

    public record Config(boolean normalize) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config(false);
    }

    public record Signature(Hashing.Hash128 hash, String id) implements java.io.Serializable {
    }

    /** Removal reason of the documents this step drops. */
    public static final String REASON = "exact_duplicate";

    private final Config config;

    public ExactDeduplicator(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "exact_dedup";
    }

    @Override
    public Signature signature(Document doc) {
        String t = config.normalize() ? doc.text().toLowerCase(java.util.Locale.ROOT).strip().replaceAll("\\s+", " ")
                : doc.text();
        return new Signature(Hashing.sha256x128(t), doc.id());
    }

    @Override
    public KeyRemovals decide(Stream<Keyed<Signature>> signatures) {
        Map<Hashing.Hash128, String> firstId = new HashMap<>();
        Map<Long, String> removed = new HashMap<>();
        signatures.forEach(k -> {
            String first = firstId.putIfAbsent(k.signature().hash(), k.signature().id());
            if (first != null) {
                removed.put(k.key(), "duplicate of " + first);
            }
        });
        return new KeyRemovals(REASON, removed);
    }

    @Override
    public Verdict apply(long key, Document doc, KeyRemovals decision) {
        return decision.apply(key, doc);
    }
}
