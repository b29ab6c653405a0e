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
 * Samples a data mix: documents are tagged with a category (the {@code categoryKey} metadata, or
 * {@code sourceCategories[source]} when that map is given) and sampled to target proportions of tokens
 * (Llama 3 paper section 3.1.2: roughly 50% general knowledge, 25% math and reasoning, 17% code, 8% multilingual).
 * Documents of categories without a target are removed as {@code category_not_in_mix}; see
 * {@link ProportionalSampler} for the sampling rule. Kept documents get a {@code mix_category} metadata field.
 */
public final class Mixer implements GlobalStep<Mixer.Signature, MixDecision> {

    public record Config(String categoryKey, String sourceKey, Map<String, String> sourceCategories,
                         Map<String, Double> targets, long maxTotalTokens, long seed, String tokenizer) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config("category", "source", Map.of(), Map.of(), 0, 0, "whitespace");

        public Config {
            sourceCategories = Map.copyOf(sourceCategories);
            targets = new LinkedHashMap<>(targets);
        }
    }

    public record Signature(String category, long tokens) implements java.io.Serializable {
    }

    private final Config config;
    private final TokenCounter tokens;

    public Mixer(Config config) {
        if (config.targets().isEmpty()) {
            throw new IllegalArgumentException("mix: 'targets' must name at least one category with a proportion");
        }
        new ProportionalSampler(config.targets(), 0, 0); // validates proportions early
        this.config = config;
        this.tokens = TokenCounter.named(config.tokenizer());
    }

    @Override
    public String name() {
        return "mix";
    }

    String category(Document doc) {
        if (!config.sourceCategories().isEmpty()) {
            String source = doc.meta(config.sourceKey());
            return source == null ? null : config.sourceCategories().get(source);
        }
        return doc.meta(config.categoryKey());
    }

    @Override
    public Signature signature(Document doc) {
        String c = category(doc);
        return c == null || !config.targets().containsKey(c) ? null : new Signature(c, tokens.count(doc.text()));
    }

    @Override
    public MixDecision decide(Stream<Keyed<Signature>> signatures) {
        ProportionalSampler sampler = new ProportionalSampler(config.targets(), config.maxTotalTokens(), config.seed());
        signatures.filter(k -> k.signature() != null)
                .forEach(k -> sampler.add(k.signature().category(), k.key(), k.signature().tokens()));
        return new MixDecision(sampler.select());
    }

    @Override
    public Verdict apply(long key, Document doc, MixDecision decision) {
        String c = category(doc);
        if (c == null || !config.targets().containsKey(c)) {
            return Verdict.remove("category_not_in_mix", c);
        }
        return decision.selected().contains(key) ? Verdict.keep(doc.withMeta("mix_category", c))
                : Verdict.remove("not_sampled", c);
    }
}
