package org.llama3j.data;

import java.io.PrintStream;
import java.nio.file.Path;
import org.llama3j.data.config.PipelineConfigParser;
import org.llama3j.data.config.PipelineSpec;
import org.llama3j.data.exec.EmbeddedExecutor;
import org.llama3j.data.exec.PipelineResult;

/** Library entry behind {@code llama3j data run PIPELINE.yaml}: parse, run on the embedded executor, report. */
public final class PipelineRunner {

    private PipelineRunner() {
    }

    public static PipelineResult run(Path yaml) {
        return run(yaml, System.out);
    }

    /** Runs the pipeline file and prints the stats table to {@code out} (null for silence). */
    public static PipelineResult run(Path yaml, PrintStream out) {
        PipelineSpec spec = PipelineConfigParser.parse(yaml);
        PipelineResult result = new EmbeddedExecutor(spec.executor()).run(spec.pipeline(), spec.inputs());
        if (out != null) {
            out.print(result.table());
            out.printf("tasks run: %d, skipped (already complete): %d; stats: %s%n", result.tasksRun(),
                    result.tasksSkipped(), spec.executor().outputDir().resolve("stats.json"));
        }
        return result;
    }
}
