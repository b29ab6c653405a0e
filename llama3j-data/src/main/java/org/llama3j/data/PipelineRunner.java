package org.llama3j.data;

import java.io.PrintStream;
import java.nio.file.Path;
import org.llama3j.data.config.PipelineConfigParser;
import org.llama3j.data.config.PipelineSpec;
import org.llama3j.data.exec.EmbeddedExecutor;
import org.llama3j.data.exec.PipelineResult;
import org.llama3j.data.tokenize.TokenShardExport;
import org.llama3j.data.tokenize.TokenizeStep;
import org.llama3j.train.data.CorpusShardWriter;

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
        TokenizeStep tokenize = TokenShardExport.find(spec.pipeline());
        PipelineResult result = new EmbeddedExecutor(spec.executor()).run(spec.pipeline(), spec.inputs());
        if (out != null) {
            out.print(result.table());
            out.printf("tasks run: %d, skipped (already complete): %d; stats: %s%n", result.tasksRun(),
                    result.tasksSkipped(), spec.executor().outputDir().resolve("stats.json"));
        }
        exportTokens(tokenize, result, spec.executor().outputDir(), out);
        return result;
    }

    /** Writes the token shards when the pipeline ends in a tokenize step (any executor's result). */
    public static void exportTokens(TokenizeStep tokenize, PipelineResult result, Path outputDir, PrintStream out) {
        if (tokenize == null) {
            return;
        }
        CorpusShardWriter.Summary s = TokenShardExport.export(tokenize, result.outputs(), outputDir);
        if (out != null) {
            out.printf("token shards in %s: train %d documents / %d tokens (%d shards), val %d documents / %d tokens "
                            + "(%d shards)%n", outputDir.resolve(tokenize.config().dir()), s.trainDocuments(),
                    s.trainTokens(), s.trainShards(), s.valDocuments(), s.valTokens(), s.valShards());
        }
    }
}
