package org.llama3j.data.filter;

import org.llama3j.data.Document;
import org.llama3j.data.classify.LinearTextClassifier;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Verdict;

/**
 * Scores each document with a trained {@link LinearTextClassifier} (Llama 3 section 3.1.1, model-based quality
 * filtering), writes the score to the {@code scoreKey} metadata (so e.g. the annealing selector can use it), and
 * removes documents scoring below {@code minScore} ({@code minScore = 0} only annotates). The model is loaded on
 * first use into a transient field, so the step ships to distributed workers as just its config.
 */
public final class QualityClassifierFilter implements DocumentStep {

    public record Config(String modelPath, double minScore, String scoreKey) implements java.io.Serializable {
        public static final Config DEFAULTS = new Config(null, 0.5, "quality_score");
    }

    private final Config config;
    private transient volatile LinearTextClassifier model;

    public QualityClassifierFilter(Config config) {
        if (config.modelPath() == null) {
            throw new IllegalArgumentException("quality_classifier: 'modelPath' is required");
        }
        if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(config.modelPath()))) {
            throw new IllegalArgumentException("quality_classifier: model file " + config.modelPath() + " does not exist");
        }
        this.config = config;
    }

    public QualityClassifierFilter(Config config, LinearTextClassifier model) {
        this.config = config;
        this.model = model;
    }

    @Override
    public String name() {
        return "quality_classifier";
    }

    private LinearTextClassifier model() {
        LinearTextClassifier m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = LinearTextClassifier.load(java.nio.file.Path.of(config.modelPath()));
                    model = m;
                }
            }
        }
        return m;
    }

    @Override
    public Verdict process(Document doc) {
        double score = model().score(doc.text());
        if (score < config.minScore()) {
            return Verdict.remove("low_quality_score", String.format("%.4f", score));
        }
        return Verdict.keep(config.scoreKey() == null ? doc : doc.withMeta(config.scoreKey(), score));
    }
}
