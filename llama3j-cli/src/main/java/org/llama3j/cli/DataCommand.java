package org.llama3j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.PipelineRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code llama3j data ...}: the pretraining data pipeline. */
@Command(name = "data", description = "Pretraining data pipeline.", mixinStandardHelpOptions = true,
        subcommands = DataCommand.Run.class)
public final class DataCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("usage: llama3j data run PIPELINE.yaml");
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
            } catch (DataPipelineException | java.io.UncheckedIOException e) {
                System.err.println("llama3j data run: " + e.getMessage());
                return 1;
            }
        }
    }
}
