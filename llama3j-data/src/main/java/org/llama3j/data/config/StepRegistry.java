package org.llama3j.data.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llama3j.data.dedup.ExactDeduplicator;
import org.llama3j.data.dedup.LineDeduplicator;
import org.llama3j.data.dedup.MinHashDeduplicator;
import org.llama3j.data.dedup.SemanticDeduplicator;
import org.llama3j.data.dedup.UrlDeduplicator;
import org.llama3j.data.filter.C4QualityFilter;
import org.llama3j.data.filter.DirtyWordFilter;
import org.llama3j.data.filter.FineWebQualityFilter;
import org.llama3j.data.filter.GopherQualityFilter;
import org.llama3j.data.filter.GopherRepetitionFilter;
import org.llama3j.data.filter.LanguageFilter;
import org.llama3j.data.filter.QualityClassifierFilter;
import org.llama3j.data.filter.TokenKlDivergenceFilter;
import org.llama3j.data.filter.UrlBlocklistFilter;
import org.llama3j.data.mix.AnnealingSelector;
import org.llama3j.data.mix.Mixer;
import org.llama3j.data.tokenize.TokenizeStep;

/** The step types a pipeline YAML may name under {@code steps[].type}. */
public final class StepRegistry {

    private static final Map<String, StepType<?>> TYPES = new LinkedHashMap<>();

    static {
        add(new StepType<>("gopher_quality", GopherQualityFilter.Config.class, GopherQualityFilter.Config.DEFAULTS,
                (c, dir) -> new GopherQualityFilter(c)));
        add(new StepType<>("gopher_repetition", GopherRepetitionFilter.Config.class,
                GopherRepetitionFilter.Config.DEFAULTS, (c, dir) -> new GopherRepetitionFilter(c)));
        add(new StepType<>("c4_quality", C4QualityFilter.Config.class, C4QualityFilter.Config.DEFAULTS,
                (c, dir) -> new C4QualityFilter(c)));
        add(new StepType<>("fineweb_quality", FineWebQualityFilter.Config.class, FineWebQualityFilter.Config.DEFAULTS,
                (c, dir) -> new FineWebQualityFilter(c)));
        add(new StepType<>("url_blocklist", UrlBlocklistFilter.Config.class, UrlBlocklistFilter.Config.DEFAULTS,
                (c, dir) -> new UrlBlocklistFilter(new UrlBlocklistFilter.Config(c.urlKey(), c.domains(),
                        c.domainFiles().stream().map(f -> dir.resolve(f).toString()).toList(), c.removeInvalidUrls()))));
        add(new StepType<>("dirty_words", DirtyWordFilter.Config.class, DirtyWordFilter.Config.DEFAULTS,
                (c, dir) -> new DirtyWordFilter(new DirtyWordFilter.Config(c.maxFraction(), c.languageKey(),
                        c.defaultLanguage(), c.wordListDir() == null ? null : dir.resolve(c.wordListDir()).toString(),
                        c.failOnMissingLanguage()))));
        add(new StepType<>("quality_classifier", QualityClassifierFilter.Config.class,
                QualityClassifierFilter.Config.DEFAULTS, (c, dir) -> new QualityClassifierFilter(
                        new QualityClassifierFilter.Config(c.modelPath() == null ? null : dir.resolve(c.modelPath()).toString(),
                                c.minScore(), c.scoreKey()))));
        add(new StepType<>("language_id", LanguageFilter.Config.class, LanguageFilter.Config.DEFAULTS,
                (c, dir) -> new LanguageFilter(new LanguageFilter.Config(
                        c.modelPath() == null ? null : dir.resolve(c.modelPath()).toString(), c.languages(),
                        c.minConfidence(), c.languageKey(), c.scoreKey()))));
        add(new StepType<>("token_kl", TokenKlDivergenceFilter.Config.class, TokenKlDivergenceFilter.Config.DEFAULTS,
                (c, dir) -> new TokenKlDivergenceFilter(c)));
        add(new StepType<>("exact_dedup", ExactDeduplicator.Config.class, ExactDeduplicator.Config.DEFAULTS,
                (c, dir) -> new ExactDeduplicator(c)));
        add(new StepType<>("url_dedup", UrlDeduplicator.Config.class, UrlDeduplicator.Config.DEFAULTS,
                (c, dir) -> new UrlDeduplicator(c)));
        add(new StepType<>("line_dedup", LineDeduplicator.Config.class, LineDeduplicator.Config.DEFAULTS,
                (c, dir) -> new LineDeduplicator(c)));
        add(new StepType<>("minhash_dedup", MinHashDeduplicator.Config.class, MinHashDeduplicator.Config.DEFAULTS,
                (c, dir) -> new MinHashDeduplicator(c)));
        add(new StepType<>("semantic_dedup", SemanticDeduplicator.Config.class, SemanticDeduplicator.Config.DEFAULTS,
                (c, dir) -> new SemanticDeduplicator(new SemanticDeduplicator.Config(
                        c.modelPath() == null ? null : dir.resolve(c.modelPath()).toString(), c.maxTokens(), c.clusters(),
                        c.iterations(), c.threshold(), c.seed()))));
        add(new StepType<>("mix", Mixer.Config.class, Mixer.Config.DEFAULTS, (c, dir) -> new Mixer(c)));
        add(new StepType<>("anneal", AnnealingSelector.Config.class, AnnealingSelector.Config.DEFAULTS,
                (c, dir) -> new AnnealingSelector(c)));
        add(new StepType<>("tokenize", TokenizeStep.Config.class, TokenizeStep.Config.DEFAULTS,
                (c, dir) -> new TokenizeStep(new TokenizeStep.Config(
                        c.tokenizer() == null ? null : dir.resolve(c.tokenizer()).toString(), c.dir(), c.valFraction(),
                        c.maxTokensPerShard()))));
    }

    private StepRegistry() {
    }

    private static void add(StepType<?> t) {
        TYPES.put(t.type(), t);
    }

    public static StepType<?> get(String type) {
        return TYPES.get(type);
    }

    public static Set<String> types() {
        return TYPES.keySet();
    }

    /** For documentation and tests: every registered type in registration order. */
    public static List<StepType<?>> all() {
        return List.copyOf(TYPES.values());
    }

}
