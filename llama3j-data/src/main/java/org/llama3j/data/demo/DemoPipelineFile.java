package org.llama3j.data.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo's pipeline file. Filters are scoped ({@code only:}) to the sources they were designed for:
 * Gopher and C4 rules describe prose documents (they would drop every Java file and every one-sentence
 * nlp-corpus document), the quality classifier was trained on mail; dedup, mixing and tokenization see
 * everything. The mix targets follow the shape of Llama 3's final mix (§3.1.2: about half general
 * knowledge, a quarter math and reasoning, 17% code, 8% multilingual) with what the demo has: no math.
 */
public final class DemoPipelineFile {
    /** Token proportions per category before renormalising over the sources present. */
    static final Map<String, Double> MIX = mix();

    private DemoPipelineFile() {
    }

    private static Map<String, Double> mix() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(DemoSources.GENERAL, 0.65);
        m.put(DemoSources.MAIL, 0.05);
        m.put(DemoSources.MULTILINGUAL, 0.10);
        m.put(DemoSources.CODE, 0.20);
        return m;
    }

    /**
     * @param sources      the sources present (files {@code sources/<name>.jsonl} next to the pipeline file)
     * @param qualityModel the classifier for mail, or null to skip that step
     */
    public static String render(Set<String> sources, Path qualityModel, Path tokenizer, int threads) {
        StringBuilder y = new StringBuilder();
        y.append("# written by `llama3j data demo`; rerun the command (or `llama3j data run` on this file) to resume\n");
        y.append("input:\n  paths: [").append(sources.stream().map(s -> "sources/" + s + ".jsonl")
                .collect(Collectors.joining(", "))).append("]\n");
        y.append("output: out\nworkDir: out/_work\nthreads: ").append(threads).append("\nsteps:\n");
        boolean prose = sources.contains(DemoSources.GENERAL) || sources.contains(DemoSources.MAIL);
        if (sources.contains(DemoSources.GENERAL)) {
            y.append("  - type: gopher_quality          # Brown documents only: nlp-corpus is one sentence per document\n");
            y.append("    only: {source: brown}\n");
            y.append("  - type: c4_quality\n    only: {source: brown}\n");
            // Gopher's top-n-gram rule counts a 4-gram seen once: it is meant for long documents only
            y.append("  - type: gopher_repetition\n    only: {source: brown}\n");
        }
        if (prose) {
            y.append("  - type: dirty_words              # the shipped English list\n    only: {category: [")
                    .append(present(sources, DemoSources.GENERAL, DemoSources.MAIL)).append("]}\n");
        }
        if (qualityModel != null) {
            y.append("  - type: quality_classifier       # trained on SpamAssassin ham (wanted) vs spam\n");
            y.append("    modelPath: ").append(yamlPath(qualityModel)).append("\n    minScore: 0.5\n    only: {category: mail}\n");
        }
        if (!sources.equals(Set.of(DemoSources.CODE))) {
            y.append("  - type: language_id              # tags `language`; keeps every language\n    only: {category: [")
                    .append(present(sources, DemoSources.GENERAL, DemoSources.MAIL, DemoSources.MULTILINGUAL))
                    .append("]}\n");
        }
        y.append("  - type: exact_dedup\n  - type: minhash_dedup\n");
        y.append("  - type: mix\n    targets: {");
        double total = sources.stream().mapToDouble(MIX::get).sum();
        y.append(sources.stream().map(s -> s + ": " + String.format(Locale.ROOT, "%.4f", MIX.get(s) / total))
                .collect(Collectors.joining(", "))).append("}\n");
        y.append("  - type: tokenize\n    tokenizer: ").append(yamlPath(tokenizer)).append("\n    valFraction: 0.01\n");
        return y.toString();
    }

    private static String present(Set<String> sources, String... names) {
        return java.util.Arrays.stream(names).filter(sources::contains).collect(Collectors.joining(", "));
    }

    /** An absolute path as a double-quoted YAML scalar. */
    private static String yamlPath(Path p) {
        return "\"" + p.toAbsolutePath().normalize().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
