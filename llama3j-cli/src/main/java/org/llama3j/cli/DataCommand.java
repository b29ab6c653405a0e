package org.llama3j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.classify.ClassifierTraining;
import org.llama3j.data.classify.LinearTextClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llama3j data ...}: the pretraining data pipeline. */
@Command(name = "data", description = "Pretraining data pipeline.", mixinStandardHelpOptions = true,
        subcommands = {DataCommand.Run.class, DataCommand.TrainClassifier.class, DataLabelCommand.class, DataDemoCommand.class})
public final class DataCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("usage: llama3j data run PIPELINE.yaml | llama3j data demo [--workdir DIR] | llama3j data train-classifier --input LABELLED.jsonl --out MODEL | llama3j data label --model FILE --input DOCS.jsonl --out LABELLED.jsonl");
        return 2;
    }

    /** {@code llama3j data run PIPELINE.yaml}: runs (or resumes) a pipeline on the embedded executor. */
    @Command(name = "run", description = "Run or resume a pipeline described by a YAML file.",
            mixinStandardHelpOptions = true)
    static final class Run implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "pipeline file (input, output, steps)")
        Path pipeline;

        @Override
        public Integer call() {
            try {
                PipelineRunner.run(pipeline, System.out);
                return 0;
            } catch (org.llama3j.data.config.PipelineConfigException e) {
                System.err.println("llama3j data run: " + e.getMessage());
                return 2; // the pipeline file is wrong: a usage error
            } catch (DataPipelineException | java.io.UncheckedIOException e) {
                System.err.println("llama3j data run: " + e.getMessage());
                return 1;
            }
        }
    }

    /**
     * {@code llama3j data train-classifier}: trains the hashed n-gram quality classifier used by the
     * {@code quality_classifier} step and reports held-out AUC.
     */
    @Command(name = "train-classifier", mixinStandardHelpOptions = true,
            description = "Train the quality classifier on labelled JSONL and report held-out AUC.")
    static final class TrainClassifier implements Callable<Integer> {

        @Option(names = "--input", required = true, description = "labelled JSONL: one object per line with text and label")
        Path input;

        @Option(names = "--out", required = true, description = "model file to write")
        Path out;

        @picocli.CommandLine.Mixin
        LabelledJsonlOptions fields = new LabelledJsonlOptions();

        @Option(names = "--holdout", defaultValue = "0.2", description = "fraction held out for evaluation (default: ${DEFAULT-VALUE})")
        double holdout;

        @Option(names = "--epochs", defaultValue = "5", description = "SGD epochs (default: ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--buckets", defaultValue = "1048576", description = "hashed feature buckets (default: ${DEFAULT-VALUE})")
        int buckets;

        @Override
        public Integer call() {
            try {
                LinearTextClassifier.TrainConfig d = LinearTextClassifier.TrainConfig.DEFAULTS;
                ClassifierTraining.Result r = ClassifierTraining.run(new ClassifierTraining.Request(input, fields.textKey,
                        fields.labelKey, fields.positive, holdout, new LinearTextClassifier.TrainConfig(buckets, d.maxNgram(), epochs,
                        d.learningRate(), d.l2(), d.seed())));
                r.model().save(out);
                ClassifierTraining.Report rep = r.report();
                System.out.printf("trained on %d examples (%d '%s'), held out %d: AUC %.4f, accuracy %.4f; model: %s%n",
                        rep.trainExamples(), rep.trainPositives(), fields.positive, rep.heldOutExamples(), rep.auc(),
                        rep.accuracy(), out);
                return 0;
            } catch (DataPipelineException | java.io.IOException | java.io.UncheckedIOException e) {
                System.err.println("llama3j data train-classifier: " + e.getMessage());
                return 1;
            }
        }
    }
}
