package org.llama3j.eval.scaling;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.llama3j.Llama;
import org.llama3j.eval.harness.EvalRunner;
import org.llama3j.eval.harness.LlamaLanguageModel;
import org.llama3j.eval.harness.Task;
import org.llama3j.eval.harness.TaskResult;
import org.llama3j.tensor.DType;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.train.export.GgufExporter;
import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.WeightDecayScope;
import org.llama3j.train.trainer.RunSettings;
import org.llama3j.train.trainer.Trainer;
import org.llama3j.train.trainer.TrainerHooks;
import org.llama3j.train.trainer.TrainingReport;

/**
 * Trains one run of a sweep through the pretraining engine ({@link Trainer}) for the steps a budget
 * buys, measures its final validation loss and, when the sweep has a task, exports the model to
 * GGUF and scores the task with the harness (0-shot). Tied embeddings, Llama 3's AdamW
 * (β 0.9/0.95, ε 1e-8), warmup then cosine decay within each run — every run of a sweep completes its
 * own schedule, as Chinchilla's IsoFLOP runs do (Hoffmann et al. 2022, section 3.2).
 */
public final class SweepRun {
    private SweepRun() {
    }

    /** Steps that {@code budget} buys for {@code size} (rounded), or 0 when below {@code minSteps}. */
    public static int steps(Sweep sweep, ModelSize size, double budget) {
        long steps = Math.round(budget / (size.trainingFlopsPerToken() * sweep.tokensPerStep()));
        return steps < sweep.minSteps() || steps > Integer.MAX_VALUE ? 0 : (int) steps;
    }

    public static ModelSize size(SweepConfig.Shape s, int vocab, int seqLen) {
        return new ModelSize(s.dim(), s.layers(), s.heads(), s.kvHeads(), s.ffnDim(), vocab, seqLen);
    }

    public static RunRecord train(Sweep sweep, ModelSize size, double budget, int steps, Optional<Task> task, Path dir,
                                  PrintStream progress) throws IOException {
        String name = dir.getFileName().toString();
        deleteTree(dir);
        Files.createDirectories(dir);
        int warmup = (int) Math.round(sweep.warmupFraction() * steps);
        RunSettings settings = new RunSettings(size.dim(), size.layers(), size.heads(), size.kvHeads(), size.ffnDim(),
                1e-5f, 500000, Optional.empty(), true, 0.02, sweep.dataDir(), sweep.tokenizer(), sweep.seqLen(),
                sweep.microBatch(), sweep.gradAccumulation(), sweep.threads(),
                new AdamWConfig(0.9f, 0.95f, 1e-8f, (float) sweep.weightDecay(), WeightDecayScope.MATRICES),
                (float) sweep.lr(), (float) sweep.minLrRatio(), warmup, sweep.gradClip(), steps, steps,
                sweep.evalBatches(), dir.resolve("checkpoints"), 0, 1, 3.0, 20, 10, sweep.seed(), dir, false);
        long t0 = System.nanoTime();
        double valLoss;
        double taskNll = Double.NaN;
        double acc = Double.NaN;
        double accNorm = Double.NaN;
        try (Trainer trainer = new Trainer(settings, TrainerHooks.NONE, progress)) {
            TrainingReport report = trainer.run(false);
            List<org.llama3j.train.trainer.LossCurvePlot.Point> val = report.valLoss();
            valLoss = val.isEmpty() ? trainer.evaluate() : val.get(val.size() - 1).loss();
            if (task.isPresent()) {
                Path gguf = dir.resolve(name + ".gguf");
                GgufExporter.export(trainer.parameters(), TiktokenFile.read(sweep.tokenizer()), name, gguf, DType.F32);
                try (Llama llama = Llama.load(gguf)) {
                    LlamaLanguageModel lm = new LlamaLanguageModel(llama);
                    TaskResult r = new EvalRunner(lm, lm).run(task.get(), 0, null);
                    taskNll = r.metrics().get("gold_nll_per_char");
                    acc = r.metrics().get("acc");
                    accNorm = r.metrics().get("acc_norm");
                }
            }
        }
        deleteTree(dir.resolve("checkpoints"));
        long tokens = (long) steps * sweep.tokensPerStep();
        return new RunRecord(name, budget, size, size.parameters(), tokens, tokens * size.trainingFlopsPerToken(), steps,
                valLoss, taskNll, acc, accNorm, (System.nanoTime() - t0) / 1e9);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
