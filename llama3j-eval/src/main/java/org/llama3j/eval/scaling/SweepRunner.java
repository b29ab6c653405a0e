package org.llama3j.eval.scaling;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.llama3j.eval.harness.Task;
import org.llama3j.eval.harness.TaskFile;
import org.llama3j.eval.harness.TaskItem;
import org.llama3j.train.data.ShardReader;
import org.llama3j.train.data.ShardSet;

/**
 * Runs a sweep: every (budget, model) pair whose budget buys at least {@code minSteps} steps, smallest
 * budget first, appending each finished run to {@code out/sweep-results.json}; runs already there are
 * skipped, so a rerun resumes. Then fits the laws and writes the plots and the HTML report.
 */
public final class SweepRunner {
    public static final String RESULTS = "sweep-results.json";

    private SweepRunner() {
    }

    public static SweepResults run(Sweep sweep, PrintStream log) throws IOException {
        int vocab = vocabSize(sweep.dataDir());
        Optional<Task> task = sweep.task().isPresent() ? Optional.of(TaskFile.read(sweep.task().get())) : Optional.empty();
        task.ifPresent(t -> {
            if (!t.type().equals("multiple_choice")) {
                throw new IllegalArgumentException(sweep.task().get() + ": the sweep's task must be multiple_choice, not " + t.type());
            }
        });
        double chance = task.map(SweepRunner::chance).orElse(Double.NaN);
        Path resultsFile = sweep.out().resolve(RESULTS);
        List<RunRecord> runs = new ArrayList<>();
        if (resultsFile.toFile().isFile()) {
            runs.addAll(SweepResults.read(resultsFile).runs());
            log.printf("llama3j: resuming: %d runs already in %s%n", runs.size(), resultsFile);
        }
        for (double budget : sweep.budgets().stream().sorted().toList()) {
            for (SweepConfig.Shape shape : sweep.shapes()) {
                ModelSize size = SweepRun.size(shape, vocab, sweep.seqLen());
                int steps = SweepRun.steps(sweep, size, budget);
                String name = String.format("C%.2e-%s", budget, size.label());
                if (steps == 0) {
                    log.printf("llama3j: %s: the budget buys fewer than %d steps; skipped%n", name, sweep.minSteps());
                    continue;
                }
                if (runs.stream().anyMatch(r -> r.name().equals(name))) {
                    continue;
                }
                log.printf("llama3j: %s: N=%,d, %d steps, %,d tokens%n", name, size.parameters(), steps,
                        (long) steps * sweep.tokensPerStep());
                RunRecord r = SweepRun.train(sweep, size, budget, steps, task, sweep.out().resolve("runs").resolve(name), log);
                log.printf("llama3j: %s: val loss %.4f, task acc %.3f, %.0f s%n", name, r.valLoss(), r.taskAcc(), r.seconds());
                runs.add(r);
                new SweepResults(sweep.configFile().toString(), chance, runs).write(resultsFile);
            }
        }
        SweepResults results = new SweepResults(sweep.configFile().toString(), chance, runs);
        results.write(resultsFile);
        return results;
    }

    /** 1 / choices when every item has the same number of choices, else the mean of 1 / choices. */
    static double chance(Task t) {
        return t.items().stream().mapToDouble(i -> 1.0 / ((TaskItem.Choice) i).choices().size()).average().orElse(Double.NaN);
    }

    static int vocabSize(Path dataDir) throws IOException {
        List<Path> train = ShardSet.list(dataDir, "train");
        if (train.isEmpty()) {
            throw new IllegalArgumentException("data.dir " + dataDir + " has no train-*.bin shards");
        }
        try (ShardReader r = ShardReader.open(train.get(0))) {
            return r.vocabSize();
        }
    }
}
