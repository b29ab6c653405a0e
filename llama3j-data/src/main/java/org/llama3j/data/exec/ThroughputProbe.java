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

    /** One timed run; {@code taskCpu}/{@code workerCpu}: CPU seconds of the executor's task and worker threads. */
    public record Sample(int threads, double wallSeconds, double cpuSeconds, double taskCpu, double workerCpu) {
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
            double task = median(e.getValue().stream().map(Sample::taskCpu).toList());
            double work = median(e.getValue().stream().map(Sample::workerCpu).toList());
            base = base == null ? wall : base;
            System.out.printf("threads=%d: %.1f MB, median of %d runs: wall %.2f s = %.2f MB/s (steady state, JVM start "
                            + "excluded), speed-up %.2fx; process CPU %.2f s = %.2f MB/s per CPU-second "
                            + "(task threads %.2f s: read lines, write; worker threads %.2f s: parse, steps, serialize; rest: GC, JIT)%n",
                    e.getKey(), mb, e.getValue().size(), wall, mb / wall, base / wall, cpu, mb / cpu, task, work);
        }
    }

    /** Runs the pipeline once into fresh output and work directories. */
    static Sample runOnce(PipelineSpec spec, int threads) {
        ExecutorConfig c = spec.executor();
        delete(c.outputDir());
        delete(c.workDir());
        ExecutorConfig cfg = c.withThreads(threads);
        PoolCpu pools = new PoolCpu();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (pools) {
            new EmbeddedExecutor(cfg).run(spec.pipeline(), spec.inputs());
        }
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        return new Sample(threads, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, pools.seconds("llama3j-data-task-"),
                pools.seconds("llama3j-data-work-"));
    }

    /**
     * CPU time of the executor's pool threads by name prefix. Pool threads end with the run and a dead thread's CPU
     * time cannot be read, so live threads are polled every 20 ms: a thread's last interval (at most 20 ms) may be
     * missed.
     */
    private static final class PoolCpu implements AutoCloseable {
        private final java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> cpuById = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Long, String> nameById = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread poller;
        private volatile boolean stop;

        PoolCpu() {
            poller = Thread.ofPlatform().daemon().start(() -> {
                while (!stop) {
                    poll();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void poll() {
            for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (ti != null && ti.getThreadName().startsWith("llama3j-data-")) {
                    long cpu = mx.getThreadCpuTime(ti.getThreadId());
                    if (cpu > 0) {
                        cpuById.merge(ti.getThreadId(), cpu, Math::max);
                        nameById.put(ti.getThreadId(), ti.getThreadName());
                    }
                }
            }
        }

        double seconds(String prefix) {
            return cpuById.entrySet().stream().filter(e -> nameById.get(e.getKey()).startsWith(prefix))
                    .mapToLong(Map.Entry::getValue).sum() / 1e9;
        }

        @Override
        public void close() {
            stop = true;
            try {
                poller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
