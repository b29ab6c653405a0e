package org.llama3j.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Small-batch decode throughput (the server's batched decode steps) of one weight matrix, four
 * paths in the same JVM, alternating call by call so that machine load drifts hit all alike:
 * <ul>
 *   <li>{@code old}: the kernels before the small-batch tiles: batches below
 *       {@link PackedGemm#MIN_TOKENS} one token at a time over all rows, larger ones packed with
 *       the scalar {@link PanelPacking#packScalar};</li>
 *   <li>{@code new}: {@link MatMul#multiply} as dispatched now (tiles, or the vector-packed GEMM
 *       from the type's threshold on);</li>
 *   <li>{@code tiles}: the rows-outer small-batch kernel whatever the batch size;</li>
 *   <li>{@code packed}: {@link PackedGemm} with the vectorised packing whatever the batch size
 *       (these two locate the threshold).</li>
 * </ul>
 * It lives in the kernel package (of the bench module) because those paths are package-private.
 *
 * <p>Usage: {@code java -cp bench/target/llama3j-benchmarks.jar org.llama3j.kernel.SmallBatchComparison
 * [types=Q8_0,Q4_0] [rows=8192] [n=2048] [tokens=1,2,4,8,16,32] [rounds=7] [threads=1]}.
 * Prints the median milliseconds per call (CPU time with one thread) and tokens/s (batch / time)
 * per path and batch size.
 */
public final class SmallBatchComparison {

    private SmallBatchComparison() {
    }

    public static void main(String[] args) {
        String types = arg(args, "types", "Q8_0,Q4_0");
        int rows = Integer.parseInt(arg(args, "rows", "8192"));
        int n = Integer.parseInt(arg(args, "n", "2048"));
        int[] batches = Arrays.stream(arg(args, "tokens", "1,2,4,8,16,32").split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.parseInt(arg(args, "rounds", "7"));
        Parallel.setThreads(Integer.parseInt(arg(args, "threads", "1")));
        System.out.printf(Locale.ROOT, "# %d x %d matrix, %d thread(s), median of %d alternating rounds, %s%n", rows, n,
                Parallel.threads(), rounds, Parallel.threads() == 1 ? "CPU time" : "wall time");
        System.out.println("| type | batch | old ms | new ms | tiles ms | packed ms | old tok/s | new tok/s | tiles tok/s | packed tok/s | new/old |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String type : types.split(",")) {
            compare(DType.valueOf(type), rows, n, batches, rounds);
        }
    }

    private static void compare(DType type, int rows, int n, int[] batches, int rounds) {
        Tensor w = matrix(type, rows, n);
        MatMul k = MatMuls.of(type);
        List<Path> paths = new ArrayList<>();
        for (int tokens : batches) {
            float[] x = activations(tokens, n);
            Activations batch = new Activations().set(x, tokens, n);
            Activations[] single = new Activations[tokens];
            for (int t = 0; t < tokens; t++) {
                single[t] = new Activations().set(Arrays.copyOfRange(x, t * n, (t + 1) * n), 1, n);
            }
            float[] out = new float[tokens * rows];
            float[] deq = packedInput(type, batch);
            float[][] outs = new float[tokens][rows];
            Runnable old = tokens >= PackedGemm.MIN_TOKENS
                    ? () -> Parallel.forUnits(rows, PackedGemm.PANEL, 64,
                            (from, to) -> PackedGemm.multiply(w, deq, tokens, out, rows, from, to, true))
                    : () -> {
                        for (int t = 0; t < tokens; t++) {
                            Activations one = single[t];
                            float[] o = outs[t];
                            Parallel.forUnits(rows, Int8Dot.ROWS, 64, (from, to) -> smallBatch(k, w, one, o, from, to));
                        }
                    };
            Runnable now = () -> MatMuls.multiply(w, batch, out);
            Runnable tiles = () -> Parallel.forUnits(rows, PackedGemm.PANEL, 64,
                    (from, to) -> smallBatch(k, w, batch, out, from, to));
            Runnable packed = () -> Parallel.forUnits(rows, PackedGemm.PANEL, 64,
                    (from, to) -> PackedGemm.multiply(w, deq, tokens, out, rows, from, to));
            paths.add(new Path(type, tokens, List.of(old, now, tiles, packed)));
        }
        for (Path p : paths) {
            p.warmUp(); // compile every path (C2) before timing
        }
        for (int round = 0; round < rounds; round++) {
            for (Path p : paths) {
                p.run();
            }
        }
        for (Path p : paths) {
            p.print();
        }
    }

    /** The small-batch kernel of {@code k} (the per-type one; F16/F32 have only {@code multiply}). */
    private static void smallBatch(MatMul k, Tensor w, Activations x, float[] out, int from, int to) {
        switch (k) {
            case Q8ActivationMatMul q -> q.multiplySmallBatch(w, x, out, w.rows(), from, to);
            case KQuantMatMul q -> q.multiplySmallBatch(w, x, out, w.rows(), from, to);
            default -> k.multiply(w, x, out, w.rows(), from, to);
        }
    }

    private static float[] packedInput(DType type, Activations x) {
        return switch (type) {
            case Q8_0, Q4_0 -> x.q8Dequantized();
            case Q4_K, Q5_K, Q6_K -> x.q8K().dequantized;
            case F16 -> x.roundedToF16();
            default -> x.floats();
        };
    }

    /** One batch size's paths, timed a call at a time. */
    private static final class Path {
        final DType type;
        final int tokens;
        final List<Runnable> bodies;
        final List<List<Long>> ns = new ArrayList<>();

        Path(DType type, int tokens, List<Runnable> bodies) {
            this.type = type;
            this.tokens = tokens;
            this.bodies = bodies;
            bodies.forEach(b -> ns.add(new ArrayList<>()));
        }

        /** Runs the paths for at least 1.5 s, then forgets those times. */
        void warmUp() {
            for (long end = System.nanoTime() + 1_500_000_000L; System.nanoTime() < end; ) {
                run();
            }
            ns.forEach(List::clear);
        }

        void run() {
            for (int i = 0; i < bodies.size(); i++) {
                ns.get(i).add(time(bodies.get(i)));
            }
        }

        void print() {
            double[] ms = ns.stream().mapToDouble(l -> median(l) / 1e6).toArray();
            StringBuilder row = new StringBuilder("| " + type + " | " + tokens + " |");
            for (double m : ms) {
                row.append(String.format(Locale.ROOT, " %.2f |", m));
            }
            for (double m : ms) {
                row.append(String.format(Locale.ROOT, " %.0f |", tokens * 1e3 / m));
            }
            System.out.println(row.append(String.format(Locale.ROOT, " %.2fx |", ms[0] / ms[1])));
        }
    }

    /**
     * CPU time of the calling thread with one worker thread (the kernels then run inline), which
     * the other jobs of a loaded machine disturb far less than wall time; wall time otherwise.
     */
    private static long time(Runnable r) {
        boolean cpu = Parallel.threads() == 1;
        long t0 = cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        r.run();
        return (cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime()) - t0;
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static double median(List<Long> ns) {
        long[] a = ns.stream().mapToLong(Long::longValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
    }

    private static Tensor matrix(DType type, int rows, int n) {
        float[] values = activations(rows, n);
        for (int i = 0; i < values.length; i++) {
            values[i] *= 0.02f;
        }
        var seg = java.lang.foreign.Arena.global().allocate(type.bytesFor((long) rows * n), 64);
        BlockCodecs.of(type).quantize(values, 0, values.length, seg, 0);
        return new Tensor("w", type, new long[] {n, rows}, seg);
    }

    private static float[] activations(int tokens, int n) {
        SplittableRandom rnd = new SplittableRandom(tokens * 31L + n);
        float[] x = new float[tokens * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
