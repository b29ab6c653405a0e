package org.llama3j.data.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.embed.LlamaEmbedder;
import org.llama3j.data.embed.TextEmbedder;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;

/**
 * Semantic dedup (Llama 3 section 3.1.1; SemDeDup, Abbas et al. 2023): documents are embedded (mean-pooled final
 * hidden states of a llama3j model, {@link LlamaEmbedder}), clustered with spherical k-means, and within each
 * cluster a document whose cosine similarity to an earlier kept document (key order) is at least {@code threshold}
 * is removed as {@code semantic_duplicate}. Comparing only inside clusters keeps the cost near n²/k instead of n².
 * {@code clusters = 0} picks {@code ceil(sqrt(n))}. Memory in the decide phase is one embedding per document.
 */
public final class SemanticDeduplicator implements GlobalStep<SemanticDeduplicator.Signature, KeyRemovals> {

    public static final String REASON = "semantic_duplicate";

    public record Config(String modelPath, int maxTokens, int clusters, int iterations, double threshold, long seed)
            implements java.io.Serializable {
        /** Cosine 0.95, a conservative choice: SemDeDup removes pairs above 1 - epsilon and tunes epsilon per dataset. */
        public static final Config DEFAULTS = new Config(null, 256, 0, 20, 0.95, 1);
    }

    public record Signature(String id, float[] embedding) implements java.io.Serializable {
    }

    private final Config config;
    private final TextEmbedder embedder;

    public SemanticDeduplicator(Config config) {
        this(config, new LlamaEmbedder(requireModel(config), config.maxTokens()));
    }

    /** With a given embedder (tests, or embeddings from elsewhere). */
    public SemanticDeduplicator(Config config, TextEmbedder embedder) {
        if (!(config.threshold() > 0 && config.threshold() <= 1) || config.clusters() < 0 || config.iterations() < 1) {
            throw new IllegalArgumentException("semantic_dedup: threshold must be in (0, 1], clusters >= 0, iterations >= 1");
        }
        this.config = config;
        this.embedder = embedder;
    }

    private static String requireModel(Config c) {
        if (c.modelPath() == null) {
            throw new IllegalArgumentException("semantic_dedup: 'modelPath' (a llama3j model file) is required");
        }
        if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(c.modelPath()))) {
            throw new IllegalArgumentException("semantic_dedup: model file " + c.modelPath() + " does not exist");
        }
        return c.modelPath();
    }

    @Override
    public String name() {
        return "semantic_dedup";
    }

    @Override
    public Signature signature(Document doc) {
        return new Signature(doc.id(), embedder.embed(doc.text()));
    }

    @Override
    public KeyRemovals decide(Stream<Keyed<Signature>> signatures) {
        List<Keyed<Signature>> all = signatures.filter(k -> k.signature() != null).toList();
        int k = config.clusters() > 0 ? config.clusters() : (int) Math.ceil(Math.sqrt(all.size()));
        int[] labels = SphericalKMeans.assign(all.stream().map(s -> s.signature().embedding()).toList(), k,
                config.iterations(), config.seed());
        Map<Integer, List<Keyed<Signature>>> kept = new HashMap<>();
        Map<Long, String> removed = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            Keyed<Signature> doc = all.get(i);
            List<Keyed<Signature>> cluster = kept.computeIfAbsent(labels[i], x -> new ArrayList<>());
            String original = null;
            for (Keyed<Signature> earlier : cluster) {
                if (SphericalKMeans.dot(doc.signature().embedding(), earlier.signature().embedding()) >= config.threshold()) {
                    original = earlier.signature().id();
                    break;
                }
            }
            if (original == null) {
                cluster.add(doc);
            } else {
                removed.put(doc.key(), "semantic duplicate of " + original);
            }
        }
        return new KeyRemovals(REASON, removed);
    }

    @Override
    public Verdict apply(long key, Document doc, KeyRemovals decision) {
        return decision.apply(key, doc);
    }
}
