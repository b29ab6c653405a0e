package org.llama3j.data.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.classify.ClassifierTraining;
import org.llama3j.data.classify.LinearTextClassifier;
import org.llama3j.data.corpus.DemoCorpusException;
import org.llama3j.data.exec.PipelineResult;

/**
 * {@code llama3j data demo}: the whole data pipeline on a real corpus built only from what this machine's
 * registries provide ({@link DemoSources}): fetch the sources, train the quality classifier on the mail's
 * real ham/spam labels, write a pipeline file ({@link DemoPipelineFile}) and run it into token shards.
 * Every stage reuses its output on a rerun (fetched packages, source files, the classifier, the
 * executor's completion markers), so an interrupted demo continues where it stopped.
 */
public final class DataDemo {

    /**
     * @param workDir   everything goes here: {@code fetch/}, {@code sources/}, {@code quality.model},
     *                  {@code pipeline.yaml}, {@code out/} (JSONL, removals, quarantine, stats, {@code tokens/})
     * @param tokenizer tokenizer for the shards: {@code tokenizer.model}, {@code tokenizer.json} or a model {@code .gguf}
     * @param sources   which of {@link DemoSources#ALL} to include
     * @param threads   executor threads
     */
    public record Options(Path workDir, Path tokenizer, Set<String> sources, int threads) {
        public Options {
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(tokenizer, "tokenizer");
            sources = Set.copyOf(sources);
            if (sources.isEmpty() || !DemoSources.ALL.containsAll(sources)) {
                throw new IllegalArgumentException("sources must be a non-empty subset of " + DemoSources.ALL + ", got "
                        + sources);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
        }
    }

    /** Documents per source file, the classifier's held-out report (null without mail), the pipeline's result. */
    public record Result(Map<String, Integer> sourceDocuments, ClassifierTraining.Report classifier,
                         PipelineResult pipeline, Path pipelineFile) {
    }

    private DataDemo() {
    }

    public static Result run(Options o, PrintStream out) {
        if (!Files.isRegularFile(o.tokenizer())) {
            throw new DemoCorpusException("tokenizer " + o.tokenizer() + " does not exist");
        }
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String source : DemoSources.ALL) {
            if (o.sources().contains(source)) {
                DemoSources.Built b = DemoSources.build(source, o.workDir(), out);
                files.put(source, b.file());
                counts.put(source, b.documents());
            }
        }
        ClassifierTraining.Report report = null;
        Path model = o.workDir().resolve("quality.model");
        if (files.containsKey(DemoSources.MAIL)) {
            report = trainClassifier(files.get(DemoSources.MAIL), model, out);
        }
        Path yaml = o.workDir().resolve("pipeline.yaml");
        String text = DemoPipelineFile.render(files.keySet(), report == null ? null : model, o.tokenizer(), o.threads());
        try {
            Files.writeString(yaml, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + yaml + ": " + e.getMessage(), e);
        }
        if (out != null) {
            out.println("data demo: running " + yaml);
        }
        PipelineResult result = PipelineRunner.run(yaml, out);
        return new Result(counts, report, result, yaml);
    }

    /**
     * Trains the {@code quality_classifier} step's model with ham as the wanted class (Llama 3 §3.1.1 trains
     * its quality classifiers on labels from another model; here the labels are SpamAssassin's own).
     */
    static ClassifierTraining.Report trainClassifier(Path mail, Path model, PrintStream out) {
        ClassifierTraining.Result r = ClassifierTraining.run(new ClassifierTraining.Request(mail, "text", "label", "ham",
                0.2, LinearTextClassifier.TrainConfig.DEFAULTS));
        try {
            Path tmp = model.resolveSibling(model.getFileName() + ".tmp");
            r.model().save(tmp);
            Files.move(tmp, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + model + ": " + e.getMessage(), e);
        }
        if (out != null) {
            var rep = r.report();
            out.printf("quality classifier (ham = wanted): %d train / %d held out, AUC %.4f, accuracy %.4f -> %s%n",
                    rep.trainExamples(), rep.heldOutExamples(), rep.auc(), rep.accuracy(), model);
        }
        return r.report();
    }

    /** Default source list for the command line. */
    public static List<String> defaultSources() {
        return List.copyOf(DemoSources.ALL);
    }
}
