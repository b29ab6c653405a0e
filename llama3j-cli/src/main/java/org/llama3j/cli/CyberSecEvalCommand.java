package org.llama3j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.safety.codeshield.CodeShield;
import org.llama3j.safety.codeshield.CodeShieldConfig;
import org.llama3j.safety.eval.CyberSecEval;
import org.llama3j.safety.eval.EvalDataset;
import org.llama3j.safety.eval.EvalDatasetException;
import org.llama3j.safety.eval.EvalReport;
import org.llama3j.safety.eval.LlamaEvalModel;
import org.llama3j.safety.eval.LlamaJudge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code llama3j eval cyberseceval --model FILE [--dataset DIR] [--judge FILE] [--limit N] [--max-tokens N] [--json FILE]}:
 * insecure-code, false-refusal and prompt-injection rates; prints the text table, writes the JSON report.
 */
@Command(name = "cyberseceval", mixinStandardHelpOptions = true,
        description = "CyberSecEval-style evaluation: insecure-code rate (Code Shield), false-refusal rate, "
                + "prompt-injection success rate.")
public final class CyberSecEvalCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Option(names = "--dataset", paramLabel = "DIR",
            description = "Directory with instruct.jsonl, autocomplete.jsonl, frr.jsonl, prompt_injection.jsonl "
                    + "(default: the small example suites shipped with llama3j).")
    Path dataset;

    @Option(names = "--judge", paramLabel = "FILE", description = "Judge model for prompt injection (default: keyword fallback).")
    Path judge;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N cases per suite (0: all).")
    int limit;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "256", description = "Answer length limit. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON report (rows and every case) here.")
    Path json;

    @Spec
    CommandSpec spec;

    /** Latency does not matter here: a generous budget keeps a busy machine from failing scans closed. */
    private static CodeShield evalShield() {
        return CodeShield.withConfig(CodeShieldConfig.defaults().withTimeBudget(java.time.Duration.ofSeconds(2)));
    }

    @Override
    public Integer call() throws IOException {
        if (limit < 0) {
            throw new UserException("--limit must be >= 0, got " + limit);
        }
        if (maxTokens < 1) {
            throw new UserException("--max-tokens must be >= 1, got " + maxTokens);
        }
        EvalDataset data;
        try {
            data = dataset == null ? EvalDataset.examples() : EvalDataset.load(dataset);
        } catch (EvalDatasetException e) {
            throw new UserException(e.getMessage());
        }
        try (Llama llama = Llama.load(model.require()); Llama judgeModel = judge == null ? null : Llama.load(judge)) {
            EvalReport report = new CyberSecEval(new LlamaEvalModel(llama, maxTokens),
                    judgeModel == null ? null : new LlamaJudge(judgeModel), evalShield()).run(data, limit);
            var out = spec.commandLine().getOut();
            out.print(report.toText());
            out.flush();
            if (json != null) {
                Files.writeString(json, report.toJson());
            }
        }
        return 0;
    }
}
