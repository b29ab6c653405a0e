package org.llama3j.data.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llama3j.data.config.PipelineConfigParser;
import org.llama3j.data.config.PipelineSpec;

/**
 * Steady-state throughput of the embedded executor, for {@code bench/data/throughput.sh}: runs one pipeline file
 * inside one JVM at each requested thread count, alternating the thread counts round by round (so load changes on
 * a shared machine hit all of them alike), after one untimed warm-up round (JIT, class loading). JVM start is
 * therefore excluded. Reports per thread count the median wall time, input MB/s on the wall clock, and input MB per
 * second of process CPU time (all threads, GC and JIT included), which does not depend on how busy the machine is.
 * <pre>java -cp llama3j.jar org.llama3j.data.exec.ThroughputProbe PIPELINE.yaml ROUNDS THREADS...</pre>
 */
public final class ThroughputProbe {

    /** One timed run. */
    public record Sample(int threads, double wallSeconds, double cpuSeconds) {
    }

    private ThroughputProbe() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: ThroughputProbe PIPELINE.yaml ROUNDS THREADS...");
            System.exit(2);
        }
        Path yaml = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int[] threads = Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
        PipelineSpec spec = PipelineConfigParser.parse(yaml);
        long bytes = spec.inputs().stream().mapToLong(ThroughputProbe::size).sum();
        Map<Integer, List<Sample>> samples = new LinkedHashMap<>();
        for (int r = 0; r <= rounds; r++) {
            for (int t : threads) {
                Sample s = runOnce(spec, t);
                if (r > 0) { // round 0 warms up the JIT
                    samples.computeIfAbsent(t, k -> new ArrayList<>()).add(s);
                }
            }
        }
        double mb = bytes / 1e6;
        Double base = null;
        for (Map.Entry<Integer, List<Sample>> e : samples.entrySet()) {
            double wall = median(e.getValue().stream().map(Sample::wallSeconds).toList());
            double cpu = median(e.getValue().stream().map(Sample::cpuSeconds).toList());
            base = base == null ? wall : base;
            System.out.printf("threads=%d: %.1f MB, median of %d runs: wall %.2f s = %.2f MB/s (steady state, JVM start "
                            + "excluded), speed-up %.2fx; process CPU %.2f s = %.2f MB/s per CPU-second%n",
                    e.getKey(), mb, e.getValue().size(), wall, mb / wall, base / wall, cpu, mb / cpu);
        }
    }

    /** Runs the pipeline once into fresh output and work directories. */
    static Sample runOnce(PipelineSpec spec, int threads) {
        ExecutorConfig c = spec.executor();
        delete(c.outputDir());
        delete(c.workDir());
        ExecutorConfig cfg = new ExecutorConfig(c.outputDir(), c.workDir(), threads, c.outputCompression());
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        new EmbeddedExecutor(cfg).run(spec.pipeline(), spec.inputs());
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        return new Sample(threads, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
