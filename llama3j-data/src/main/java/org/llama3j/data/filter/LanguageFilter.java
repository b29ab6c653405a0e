package org.llama3j.data.filter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.llama3j.data.Document;
import org.llama3j.data.langid.LanguageGuess;
import org.llama3j.data.langid.LanguageModel;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;

/**
 * Language identification (Llama 3 section 3.1.1 routes documents by language with a fastText language-ID model;
 * FineWeb keeps English at fastText score >= 0.65): tags each document with {@code languageKey} and
 * {@code scoreKey} metadata, removes documents whose best language scores below {@code minConfidence}
 * ({@code low_language_confidence}) and, when {@code languages} is non-empty, those in other languages
 * ({@code language_not_selected}). The model (the shipped 12-language {@link LanguageModel} unless
 * {@code modelPath} is set) is loaded on first use into a transient field, so the step ships as its config.
 */
public final class LanguageFilter implements DocumentStep {

    public record Config(String modelPath, List<String> languages, double minConfidence, String languageKey,
                         String scoreKey) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config(null, List.of(), 0.65, "language", "language_score");

        public Config {
            languages = languages == null ? List.of() : List.copyOf(languages);
        }
    }

    private final Config config;
    private transient volatile LanguageModel model;

    public LanguageFilter(Config config) {
        if (config.modelPath() != null && !Files.isRegularFile(Path.of(config.modelPath()))) {
            throw new IllegalArgumentException("language_id: model file " + config.modelPath() + " does not exist");
        }
        if (config.minConfidence() < 0 || config.minConfidence() > 1) {
            throw new IllegalArgumentException("language_id: minConfidence must be in [0, 1], got " + config.minConfidence());
        }
        this.config = config;
    }

    @Override
    public String name() {
        return "language_id";
    }

    private LanguageModel model() {
        LanguageModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = config.modelPath() == null ? LanguageModel.shipped() : LanguageModel.load(Path.of(config.modelPath()));
                    model = m;
                }
            }
        }
        return m;
    }

    @Override
    public Verdict process(Document doc) {
        LanguageGuess g = model().identify(doc.text());
        if (g.confidence() < config.minConfidence()) {
            return Verdict.remove("low_language_confidence", String.format("%s %.3f", g.language(), g.confidence()));
        }
        if (!config.languages().isEmpty() && !config.languages().contains(g.language())) {
            return Verdict.remove("language_not_selected", g.language());
        }
        return Verdict.keep(doc.withMeta(config.languageKey(), g.language())
                .withMeta(config.scoreKey(), Math.round(g.confidence() * 1e4) / 1e4));
    }
}
