package org.llama3j.data.mix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llama3j.data.text.Hashing;

/**
 * Picks documents per category so that kept token counts follow target proportions, without replacement.
 * The total is the largest the scarcest category allows, {@code T = min_c(tokens_c / p_c)}, capped at
 * {@code maxTotalTokens} when positive; category {@code c} then takes documents in a seeded pseudo-random order
 * (a hash of seed and key, so the choice is deterministic and independent of thread scheduling) while its running
 * total is below {@code p_c * T}.
 */
public final class ProportionalSampler {

    /** One candidate document. */
    public record Candidate(long key, long tokens) {
    }

    private final Map<String, Double> proportions;
    private final long maxTotalTokens;
    private final long seed;
    private final Map<String, List<Candidate>> byCategory = new HashMap<>();

    /** {@code targets} are normalized to sum to 1; non-positive targets are rejected. */
    public ProportionalSampler(Map<String, Double> targets, long maxTotalTokens, long seed) {
        double sum = 0;
        for (Map.Entry<String, Double> e : targets.entrySet()) {
            if (e.getValue() == null || e.getValue() <= 0) {
                throw new IllegalArgumentException("target proportion of '" + e.getKey() + "' must be > 0");
            }
            sum += e.getValue();
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target proportions");
        }
        Map<String, Double> p = new HashMap<>();
        for (Map.Entry<String, Double> e : targets.entrySet()) {
            p.put(e.getKey(), e.getValue() / sum);
        }
        this.proportions = p;
        this.maxTotalTokens = maxTotalTokens;
        this.seed = seed;
    }

    public void add(String category, long key, long tokens) {
        byCategory.computeIfAbsent(category, c -> new ArrayList<>()).add(new Candidate(key, tokens));
    }

    /** The planned total token count {@code T}. */
    public double plannedTotal() {
        double total = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Double> e : proportions.entrySet()) {
            long have = byCategory.getOrDefault(e.getKey(), List.of()).stream().mapToLong(Candidate::tokens).sum();
            total = Math.min(total, have / e.getValue());
        }
        return maxTotalTokens > 0 ? Math.min(total, maxTotalTokens) : total;
    }

    public Set<Long> select() {
        double total = plannedTotal();
        long mixSeed = Hashing.mix64(seed);
        Set<Long> selected = new HashSet<>();
        for (Map.Entry<String, Double> e : proportions.entrySet()) {
            List<Candidate> cands = new ArrayList<>(byCategory.getOrDefault(e.getKey(), List.of()));
            cands.sort(Comparator.comparingLong((Candidate c) -> Hashing.mix64(c.key() ^ mixSeed))
                    .thenComparingLong(Candidate::key));
            double target = e.getValue() * total;
            long taken = 0;
            for (Candidate c : cands) {
                if (taken >= target) {
                    break;
                }
                selected.add(c.key());
                taken += c.tokens();
            }
        }
        return selected;
    }
}
