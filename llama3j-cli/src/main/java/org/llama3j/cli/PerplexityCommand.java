package org.llama3j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.eval.Perplexity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llama3j perplexity}: llama-perplexity's method, so the numbers compare. */
@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = "Perplexity of a text file, computed as llama.cpp's llama-perplexity does.")
final class PerplexityCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "UTF-8 text file.")
    Path file;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", defaultValue = "512", description = "Chunk size in tokens (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        String text = TextFiles.readUtf8(file);
        try (Llama llama = Llama.load(model.require())) {
            kvType.apply(llama.model());
            if (ctx > llama.config().contextLength()) {
                throw new UserException("--ctx " + ctx + " exceeds the model's context length " + llama.config().contextLength());
            }
            int[] tokens = llama.tokenizePrompt(text);
            long t0 = System.nanoTime();
            var progress = new StringBuilder();
            Perplexity.Result[] holder = new Perplexity.Result[1];
            holder[0] = Perplexity.compute(llama.model(), tokens, ctx, llama.bos(), i -> { });
            Perplexity.Result r = holder[0];
            for (int i = 0; i < r.chunks(); i++) {
                progress.append(String.format("[%d]%.4f,", i + 1, r.runningPerChunk()[i]));
            }
            System.err.println(progress);
            System.err.printf("llama3j: %d tokens, %d chunks of %d, %d scored, %.1f s%n", tokens.length, r.chunks(), ctx,
                    r.scoredTokens(), (System.nanoTime() - t0) / 1e9);
            System.out.printf("perplexity: %.6f%n", r.perplexity());
        }
        return 0;
    }
}
