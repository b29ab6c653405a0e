package org.llama3j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.eval.harness.EvalRunner;
import org.llama3j.eval.harness.LanguageModel;
import org.llama3j.eval.harness.LlamaLanguageModel;
import org.llama3j.eval.harness.ResultsWriter;
import org.llama3j.eval.harness.Task;
import org.llama3j.eval.harness.TaskFile;
import org.llama3j.eval.harness.TaskResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code llama3j eval --task TASK.jsonl ... [--model FILE] [--shots K] [--judge FILE] [--out results.json]}:
 * the evaluation harness (llama3j-eval/README.md); {@code llama3j eval cyberseceval ...}: safety evals.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model on JSONL tasks (perplexity, multiple choice, generation, preference), "
                + "or run a subcommand.",
        subcommands = {CyberSecEvalCommand.class})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--task", paramLabel = "TASK.jsonl", description = "Task file (repeatable); format in llama3j-eval/README.md.")
    List<Path> tasks = new ArrayList<>();

    @Option(names = "--shots", paramLabel = "K", defaultValue = "0", description = "Few-shot demonstrations per item (default: ${DEFAULT-VALUE}).")
    int shots;

    @Option(names = "--judge", paramLabel = "FILE", description = "Judge model for preference tasks (default: the evaluated model).")
    Path judge;

    @Option(names = "--out", paramLabel = "FILE", description = "Write per-task JSON results (metrics and every item) here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (tasks.isEmpty()) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        List<Task> loaded = new ArrayList<>();
        for (Path t : tasks) {
            loaded.add(TaskFile.read(t));
        }
        Path modelPath = model.require();
        try (Llama llama = Llama.load(modelPath); Llama judgeModel = judge == null ? null : Llama.load(judge)) {
            LanguageModel lm = new LlamaLanguageModel(llama);
            EvalRunner runner = new EvalRunner(lm, judgeModel == null ? lm : new LlamaLanguageModel(judgeModel));
            List<TaskResult> results = new ArrayList<>();
            for (Task t : loaded) {
                long t0 = System.nanoTime();
                int n = t.items().size();
                results.add(runner.run(t, shots, i -> System.err.printf("\r%s: %d/%d", t.name(), i + 1, n)));
                System.err.printf("\r%s: %d items, %.1f s%n", t.name(), n, (System.nanoTime() - t0) / 1e9);
            }
            if (out != null) {
                ResultsWriter.write(out, modelPath.toString(), results);
            }
            spec.commandLine().getOut().print(ResultsWriter.summary(results));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
