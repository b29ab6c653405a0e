package org.llama3j.data.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.Hashing;

/**
 * Near-duplicate removal with MinHash LSH (Llama 3 paper section 3.1.1, "global MinHash de-duplication";
 * Broder 1997; Leskovec et al., Mining of Massive Datasets ch. 3). Signatures of {@code bands * rows} hashes over
 * word {@code shingleSize}-grams are cut into bands; two documents sharing any band's values are candidates.
 * A candidate pair becomes an edge when its estimated Jaccard (equal signature positions) is at least
 * {@code minEstimatedJaccard} (0 disables the check): this trims the tail of lucky band collisions, e.g. the
 * ~5% of 0.5-similar pairs that 14x8 bands let through. Connected components of the edges (union-find) keep
 * their first document in key order.
 * <p>Defaults: 5-gram shingles and 14 bands x 8 rows = 112 hashes as in datatrove's MinhashConfig
 * ({@code pipeline/dedup/minhash.py}); the S-curve threshold (1/b)^(1/r) = 0.72, hence 0.7 for the check.
 * Memory in the decide phase is one signature per document (8 bytes per hash) plus the band tables.
 */
public final class MinHashDeduplicator implements GlobalStep<MinHashDeduplicator.Signature, KeyRemovals> {

    public record Config(int shingleSize, int bands, int rows, long seed, double minEstimatedJaccard,
                         int maxComparisonsPerBucket) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config(5, 14, 8, 1, 0.7, 32);
    }

    public record Signature(String id, long[] minHashes) implements java.io.Serializable {
    }

    /** Removal reason of the documents this step drops. */
    public static final String REASON = "near_duplicate";

    private final Config config;
    private final MinHasher hasher;

    public MinHashDeduplicator(Config config) {
        if (config.bands() < 1 || config.rows() < 1 || config.maxComparisonsPerBucket() < 1) {
            throw new IllegalArgumentException("minhash_dedup: bands, rows and maxComparisonsPerBucket must be >= 1");
        }
        this.config = config;
        this.hasher = new MinHasher(config.bands() * config.rows(), config.shingleSize(), config.seed());
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "minhash_dedup";
    }

    public MinHasher hasher() {
        return hasher;
    }

    /** Null for documents without a single word: they have no shingles and match nothing. */
    @Override
    public Signature signature(Document doc) {
        long[] shingles = hasher.shingles(doc.text());
        return shingles.length == 0 ? null : new Signature(doc.id(), hasher.signature(shingles));
    }

    /** Hash of one band of a signature: documents sharing it are LSH candidates. */
    public long bandHash(long[] sig, int band) {
        long h = band;
        for (int r = band * config.rows(); r < (band + 1) * config.rows(); r++) {
            h = Hashing.mix64(h * 0x9e3779b97f4a7c15L + sig[r]);
        }
        return h;
    }

    @Override
    public KeyRemovals decide(Stream<Keyed<Signature>> signatures) {
        List<Long> keys = new ArrayList<>();
        List<Signature> sigs = new ArrayList<>();
        UnionFind components = new UnionFind(1024);
        List<Map<Long, List<Integer>>> buckets = new ArrayList<>();
        for (int b = 0; b < config.bands(); b++) {
            buckets.add(new HashMap<>());
        }
        signatures.filter(k -> k.signature() != null).forEach(k -> {
            int idx = components.add();
            keys.add(k.key());
            sigs.add(k.signature());
            for (int b = 0; b < config.bands(); b++) {
                List<Integer> members = buckets.get(b).computeIfAbsent(bandHash(k.signature().minHashes(), b),
                        x -> new ArrayList<>(1));
                link(idx, members, sigs, components);
                if (members.size() < config.maxComparisonsPerBucket()) {
                    members.add(idx);
                }
            }
        });
        Map<Long, String> removed = new HashMap<>();
        for (int i = 0; i < components.size(); i++) {
            int root = components.find(i);
            if (root != i) {
                removed.put(keys.get(i), "near duplicate of " + sigs.get(root).id());
            }
        }
        return new KeyRemovals(REASON, removed);
    }

    private void link(int idx, List<Integer> members, List<Signature> sigs, UnionFind components) {
        for (int other : members) {
            if (components.find(other) == components.find(idx)) {
                return; // already connected through another band
            }
            if (config.minEstimatedJaccard() <= 0 || MinHasher.estimatedJaccard(sigs.get(idx).minHashes(),
                    sigs.get(other).minHashes()) >= config.minEstimatedJaccard()) {
                components.union(idx, other);
                return;
            }
        }
    }

    @Override
    public Verdict apply(long key, Document doc, KeyRemovals decision) {
        return decision.apply(key, doc);
    }
}
