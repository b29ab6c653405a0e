package org.llama3j.cli;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code llama3j bench}: prompt processing (pp) and text generation (tg) speed measured as
 * llama.cpp's {@code llama-bench} does: pp runs P random tokens through an empty context in one
 * batch (chunks of 512, llama-bench's default micro-batch), tg generates G tokens one at a time
 * from an empty context; each test is repeated and the mean ± standard deviation printed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure prefill and decode speed (like llama-bench).")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = {"-p", "--prompt-tokens"}, paramLabel = "P", defaultValue = "512")
    int promptTokens;

    @Option(names = {"-n", "--gen-tokens"}, paramLabel = "G", defaultValue = "128")
    int genTokens;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "R", defaultValue = "5")
    int repetitions;

    @Option(names = "--format", defaultValue = "text", description = "text or json")
    String format;

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        if (promptTokens < 0 || genTokens < 0 || repetitions < 1) {
            throw new UserException("--prompt-tokens and --gen-tokens must be >= 0, --repetitions >= 1");
        }
        try (Llama llama = Llama.load(model.require())) {
            kvType.apply(llama.model());
            LlamaModel m = llama.model();
            int vocab = m.config().vocabSize();
            SplittableRandom rnd = new SplittableRandom(42);
            int capacity = Math.max(1, Math.max(promptTokens, genTokens));
            InferenceState state = m.newState(capacity);
            double[] pp = new double[repetitions];
            double[] tg = new double[repetitions];
            // warm-up: JIT-compiles the kernels before timing, as llama-bench runs a warm-up pass
            // (two passes: the first runs mostly interpreted and C1-compiled code)
            for (int i = 0; i < 2; i++) {
                runPrompt(m, state, randomTokens(rnd, Math.min(128, Math.max(1, promptTokens)), vocab));
                runGeneration(m, state, Math.min(16, Math.max(1, genTokens)), vocab, rnd);
            }
            for (int r = 0; r < repetitions; r++) {
                if (promptTokens > 0) {
                    int[] tokens = randomTokens(rnd, promptTokens, vocab);
                    long t0 = System.nanoTime();
                    runPrompt(m, state, tokens);
                    pp[r] = promptTokens * 1e9 / (System.nanoTime() - t0);
                }
                if (genTokens > 0) {
                    long t0 = System.nanoTime();
                    runGeneration(m, state, genTokens, vocab, rnd);
                    tg[r] = genTokens * 1e9 / (System.nanoTime() - t0);
                }
            }
            String threadsText = String.valueOf(org.llama3j.kernel.Parallel.threads());
            if (format.equals("json")) {
                System.out.printf("{\"threads\":%s,\"pp\":%d,\"pp_tps\":%.3f,\"pp_sd\":%.3f,\"tg\":%d,\"tg_tps\":%.3f,\"tg_sd\":%.3f}%n",
                        threadsText, promptTokens, mean(pp), sd(pp), genTokens, mean(tg), sd(tg));
            } else {
                System.out.printf("| model | threads | test | t/s |%n|---|---|---|---|%n");
                if (promptTokens > 0) {
                    System.out.printf("| %s | %s | pp%d | %.2f ± %.2f |%n", llama.source(), threadsText, promptTokens, mean(pp), sd(pp));
                }
                if (genTokens > 0) {
                    System.out.printf("| %s | %s | tg%d | %.2f ± %.2f |%n", llama.source(), threadsText, genTokens, mean(tg), sd(tg));
                }
            }
        }
        return 0;
    }

    private static void runPrompt(LlamaModel m, InferenceState state, int[] tokens) {
        state.truncate(0);
        for (int from = 0; from < tokens.length; from += 512) {
            int n = Math.min(512, tokens.length - from);
            m.forward(state, Arrays.copyOfRange(tokens, from, from + n), n, n - 1);
        }
    }

    private static void runGeneration(LlamaModel m, InferenceState state, int n, int vocab, SplittableRandom rnd) {
        state.truncate(0);
        int[] one = {rnd.nextInt(vocab)};
        for (int i = 0; i < n; i++) {
            m.forward(state, one, 1, 0);
            one[0] = rnd.nextInt(vocab);
        }
    }

    private static int[] randomTokens(SplittableRandom rnd, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rnd.nextInt(vocab);
        }
        return t;
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(0);
    }

    private static double sd(double[] a) {
        double m = mean(a);
        return a.length < 2 ? 0 : Math.sqrt(Arrays.stream(a).map(x -> (x - m) * (x - m)).sum() / (a.length - 1));
    }
}
