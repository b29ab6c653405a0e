package org.llama3j.data.mix;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;
import org.llama3j.data.text.TokenCounter;

/**
 * Selects the annealing subset (Llama 3 paper section 3.4.3: the final pre-training tokens are annealed on a small
 * mix that upsamples very high-quality sources): documents of the listed categories whose quality score
 * (numeric metadata {@code qualityKey}; ignored when null) is at least {@code minQuality}, sampled to the category
 * proportions within a budget of {@code tokenBudget} tokens. Everything else is removed with a reason
 * ({@code not_eligible_for_annealing} or {@code not_sampled}); kept documents get {@code anneal_category}.
 */
public final class AnnealingSelector implements GlobalStep<Mixer.Signature, MixDecision> {

    public record Config(String categoryKey, Map<String, Double> targets, String qualityKey, double minQuality,
                         long tokenBudget, long seed, String tokenizer) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config("category", Map.of(), null, 0, 0, 0, "whitespace");

        public Config {
            targets = new LinkedHashMap<>(targets);
        }
    }

    private final Config config;
    private final TokenCounter tokens;

    public AnnealingSelector(Config config) {
        if (config.targets().isEmpty() || config.tokenBudget() <= 0) {
            throw new IllegalArgumentException("anneal: 'targets' must be non-empty and 'tokenBudget' positive");
        }
        new ProportionalSampler(config.targets(), 0, 0); // validates proportions early
        this.config = config;
        this.tokens = TokenCounter.named(config.tokenizer());
    }

    @Override
    public String name() {
        return "anneal";
    }

    boolean eligible(Document doc) {
        String c = doc.meta(config.categoryKey());
        if (c == null || !config.targets().containsKey(c)) {
            return false;
        }
        if (config.qualityKey() == null) {
            return true;
        }
        Object q = doc.metadata().get(config.qualityKey());
        return q instanceof Number n && n.doubleValue() >= config.minQuality();
    }

    @Override
    public Mixer.Signature signature(Document doc) {
        return eligible(doc) ? new Mixer.Signature(doc.meta(config.categoryKey()), tokens.count(doc.text())) : null;
    }

    @Override
    public MixDecision decide(Stream<Keyed<Mixer.Signature>> signatures) {
        ProportionalSampler sampler = new ProportionalSampler(config.targets(), config.tokenBudget(), config.seed());
        signatures.filter(k -> k.signature() != null)
                .forEach(k -> sampler.add(k.signature().category(), k.key(), k.signature().tokens()));
        return new MixDecision(sampler.select());
    }

    @Override
    public Verdict apply(long key, Document doc, MixDecision decision) {
        if (!eligible(doc)) {
            return Verdict.remove("not_eligible_for_annealing");
        }
        return decision.selected().contains(key)
                ? Verdict.keep(doc.withMeta("anneal_category", doc.meta(config.categoryKey())))
                : Verdict.remove("not_sampled", doc.meta(config.categoryKey()));
    }
}
