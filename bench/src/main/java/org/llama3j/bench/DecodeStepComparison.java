package org.llama3j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.llama3j.Llama;
import org.llama3j.kernel.Parallel;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.Workspace;

/**
 * The server's decode step without the server: {@link LlamaModel#decode} of one sequence and of
 * {@code batch} sequences, alternating step by step in one JVM so that machine load hits both
 * alike. What batching can buy the server is bounded by {@code batch × step(1) / step(batch)}
 * (sampling, HTTP and prefill only take from that). With one thread it times CPU time, which other
 * jobs on a shared machine disturb far less than wall time; with more, wall time.
 *
 * <p>It also checks that the batch's first sequence gets bit-identical logits to the same sequence
 * decoded alone (the scheduler's promise), and exits 1 if not.
 *
 * <p>Usage: {@code java -cp bench/target/llama3j-benchmarks.jar org.llama3j.bench.DecodeStepComparison
 * model=FILE [batch=8] [rounds=25] [threads=1] [context=32]} (context: prompt positions each sequence
 * starts from; the sequences are restarted before they pass 480).
 */
public final class DecodeStepComparison {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private DecodeStepComparison() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(arg(args, "model", null));
        int batch = Integer.parseInt(arg(args, "batch", "8"));
        int rounds = Integer.parseInt(arg(args, "rounds", "25"));
        int context = Integer.parseInt(arg(args, "context", "32"));
        Parallel.setThreads(Integer.parseInt(arg(args, "threads", "1")));
        LlamaModel model = Llama.load(file).model();
        boolean cpu = Parallel.threads() == 1;

        InferenceState[] many = prompted(model, batch, context);
        InferenceState[] one = prompted(model, 1, context);
        Workspace w1 = new Workspace(), wn = new Workspace();
        int[] tokens = new int[batch];
        long[] t1 = new long[rounds], tn = new long[rounds];
        int warmUp = 10;
        for (int round = -warmUp; round < rounds; round++) {
            if (many[0].position() >= 480) {
                many = prompted(model, batch, context);
                one = prompted(model, 1, context);
            }
            Arrays.fill(tokens, 1000 + round + warmUp);
            long a = now(cpu);
            model.decode(w1, one, new int[] {tokens[0]});
            long b = now(cpu);
            model.decode(wn, many, tokens);
            long c = now(cpu);
            if (round >= 0) {
                t1[round] = b - a;
                tn[round] = c - b;
            }
        }
        boolean identical = sameLogits(model, batch, context);
        double m1 = median(t1) / 1e6, mn = median(tn) / 1e6;
        System.out.printf(Locale.ROOT, "%s, %d thread(s), %s, median of %d alternating steps%n", file.getFileName(),
                Parallel.threads(), cpu ? "CPU time" : "wall time", rounds);
        System.out.printf(Locale.ROOT, "| batch | step ms (median) | step ms (min) | tokens/s | vs 1 |%n| ---: | ---: | ---: | ---: | ---: |%n");
        System.out.printf(Locale.ROOT, "| 1 | %.1f | %.1f | %.1f | 1.00x |%n", m1, Arrays.stream(t1).min().orElse(0) / 1e6, 1e3 / m1);
        System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.2fx |%n", batch, mn, Arrays.stream(tn).min().orElse(0) / 1e6,
                batch * 1e3 / mn, batch * m1 / mn);
        System.out.println("batched logits of sequence 0 identical to its one-sequence step: " + identical);
        if (!identical) {
            System.exit(1);
        }
    }

    /** {@code n} fresh sequences, each prefilled with {@code context} distinct prompt tokens. */
    private static InferenceState[] prompted(LlamaModel model, int n, int context) {
        InferenceState[] states = new InferenceState[n];
        for (int i = 0; i < n; i++) {
            int[] prompt = new int[context];
            for (int t = 0; t < context; t++) {
                prompt[t] = 100 + 7 * t + (i == 0 ? 0 : 13 * i);
            }
            states[i] = model.newState(512);
            model.forward(states[i], prompt, context, context - 1);
        }
        return states;
    }

    /** Decodes sequence 0's next token alone and inside a batch from equal states; compares the logits bit for bit. */
    private static boolean sameLogits(LlamaModel model, int batch, int context) {
        InferenceState[] many = prompted(model, batch, context);
        InferenceState[] one = prompted(model, 1, context);
        int[] tokens = new int[batch];
        for (int i = 0; i < batch; i++) {
            tokens[i] = 500 + i;
        }
        float[] batched = model.decode(new Workspace(), many, tokens);
        float[] alone = model.decode(new Workspace(), one, new int[] {tokens[0]});
        return Arrays.equals(Arrays.copyOf(batched, alone.length), alone);
    }

    private static long now(boolean cpu) {
        return cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException("missing " + name + "=...");
        }
        return fallback;
    }
}
