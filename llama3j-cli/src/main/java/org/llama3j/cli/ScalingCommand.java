package org.llama3j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.eval.scaling.Prediction;
import org.llama3j.eval.scaling.ScalingLaws;
import org.llama3j.eval.scaling.ScalingPlots;
import org.llama3j.eval.scaling.ScalingReport;
import org.llama3j.eval.scaling.Sweep;
import org.llama3j.eval.scaling.SweepConfig;
import org.llama3j.eval.scaling.SweepResults;
import org.llama3j.eval.scaling.SweepRunner;
import org.llama3j.eval.scaling.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llama3j scaling sweep|predict}: IsoFLOP sweeps and compute-optimal predictions (llama3j-eval/README.md). */
@Command(name = "scaling", mixinStandardHelpOptions = true,
        description = "Scaling laws: run an IsoFLOP sweep, fit it, predict a larger run.",
        subcommands = {ScalingCommand.SweepCommand.class, ScalingCommand.PredictCommand.class})
public final class ScalingCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The fits, prediction, plots and HTML report for a results file; verification when asked. */
    static void report(SweepResults results, Path dir, double budget, int bootstrap, Sweep verifyWith,
                       java.io.PrintWriter out) throws java.io.IOException {
        ScalingLaws laws = ScalingLaws.fit(results.runs(), results.chance());
        Prediction p = Prediction.at(results.runs(), results.chance(), budget, bootstrap, 0);
        Verification.Result v = verifyWith == null ? null : Verification.run(verifyWith, p, System.err);
        ScalingPlots.write(dir, laws, p, v == null ? null : v.run());
        ScalingReport.writeHtml(dir, results, laws, p, v);
        out.print(ScalingReport.describe(laws, p, v));
        out.println("report: " + dir.resolve(ScalingReport.HTML));
        out.flush();
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Train every (budget, model) pair of a sweep config, fit the laws, write sweep-results.json, plots and report.")
    static final class SweepCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE.yaml", description = "Sweep config.")
        Path config;

        @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "500", description = "Bootstrap replicates (default: ${DEFAULT-VALUE}).")
        int bootstrap;

        @Override
        public Integer call() throws Exception {
            System.setProperty("java.awt.headless", "true");
            Sweep sweep = SweepConfig.load(config);
            SweepResults results = SweepRunner.run(sweep, System.err);
            double largest = sweep.budgets().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            report(results, sweep.out(), 4 * largest, bootstrap, null, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Predict the compute-optimal size, tokens, loss and task accuracy at a budget; --verify trains it.")
    static final class PredictCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--sweep", required = true, paramLabel = "RESULTS", description = "sweep-results.json of a sweep.")
        Path sweep;

        @Option(names = "--budget", required = true, paramLabel = "C", description = "Compute budget in FLOPs, e.g. 6.4e11.")
        double budget;

        @Option(names = "--verify", description = "Train the predicted run (with the sweep's config) and report the error.")
        boolean verify;

        @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "500", description = "Bootstrap replicates (default: ${DEFAULT-VALUE}).")
        int bootstrap;

        @Option(names = "--out", paramLabel = "DIR", description = "Plots and report directory (default: next to RESULTS).")
        Path out;

        @Override
        public Integer call() throws Exception {
            System.setProperty("java.awt.headless", "true");
            if (!(budget > 0)) {
                throw new UserException("--budget must be a positive number of FLOPs, got " + budget);
            }
            if (bootstrap < 1) {
                throw new UserException("--bootstrap must be >= 1, got " + bootstrap);
            }
            SweepResults results = SweepResults.read(sweep);
            Sweep config = null;
            if (verify) {
                if (results.config().isEmpty()) {
                    throw new UserException(sweep + " names no sweep config; --verify needs it");
                }
                config = SweepConfig.load(Path.of(results.config()));
            }
            Path dir = out != null ? out : sweep.toAbsolutePath().getParent();
            report(results, dir, budget, bootstrap, config, spec.commandLine().getOut());
            return 0;
        }
    }
}
