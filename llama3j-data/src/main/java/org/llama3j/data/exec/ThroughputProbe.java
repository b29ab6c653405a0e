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
 * Steady-state throughput of the embedded executor (and, through {@link #measure}, of the Spark executor), for
 * {@code bench/data/throughput.sh}: runs one pipeline file
 * inside one JVM at each requested thread count, alternating the thread counts round by round (so load changes on
 * a shared machine hit all of them alike), after one untimed warm-up round (JIT, class loading). JVM start is
 * therefore excluded. Reports per thread count the median wall time, input MB/s on the wall clock, and input MB per
 * second of process CPU time (all threads, GC and JIT included), which does not depend much on how busy the machine
 * is. On a shared machine a second thread may find no idle core, so the wall speed-up says little; the CPU-model
 * speed-up predicts the idle-machine one from CPU times: the calling thread's CPU (global decisions, the Spark
 * driver) stays serial, the rest of the process CPU is spread over the cores. It assumes the tasks balance.
 * <pre>java -cp llama3j.jar org.llama3j.data.exec.ThroughputProbe PIPELINE.yaml ROUNDS THREADS...</pre>
 */
public final class ThroughputProbe {

    /**
     * One timed run. {@code cpuSeconds}: the whole process (all threads, GC and JIT); {@code serialCpu}: the calling
     * thread, which runs the serial parts (global decisions, Spark's driver); {@code taskCpu}/{@code workerCpu}: the
     * embedded executor's task and worker threads (0 for other engines).
     */
    public record Sample(int threads, double wallSeconds, double cpuSeconds, double serialCpu, double taskCpu,
                         double workerCpu) {
        /** The wall time on {@code threads} idle cores: the serial part runs alone, the rest spreads evenly. */
        double idleCoreWall() {
            return serialCpu + (cpuSeconds - serialCpu) / threads;
        }
    }

    private ThroughputProbe() {
    }

    /** Runs the pipeline once at a thread count into fresh output and work directories. */
    @FunctionalInterface
    public interface Engine {
        Sample runOnce(PipelineSpec spec, int threads);
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: ThroughputProbe PIPELINE.yaml ROUNDS THREADS...");
            System.exit(2);
        }
        measure("embedded", args, ThroughputProbe::runOnce);
    }

    /**
     * Parses {@code PIPELINE.yaml ROUNDS THREADS...}, runs one warm-up round and ROUNDS timed rounds alternating the
     * thread counts on {@code engine}, and prints one line per thread count (prefixed with {@code label}).
     */
    public static void measure(String label, String[] args, Engine engine) {
        Path yaml = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int[] threads = Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
        PipelineSpec spec = PipelineConfigParser.parse(yaml);
        long bytes = spec.inputs().stream().mapToLong(ThroughputProbe::size).sum();
        long docs = spec.inputs().stream().mapToLong(ThroughputProbe::lines).sum();
        Map<Integer, List<Sample>> samples = new LinkedHashMap<>();
        for (int r = 0; r <= rounds; r++) {
            for (int t : threads) {
                Sample s = engine.runOnce(spec, t);
                if (r > 0) { // round 0 warms up the JIT
                    samples.computeIfAbsent(t, k -> new ArrayList<>()).add(s);
                }
            }
        }
        double mb = bytes / 1e6;
        List<Sample> first = samples.values().iterator().next();
        for (Map.Entry<Integer, List<Sample>> e : samples.entrySet()) {
            List<Sample> mine = e.getValue();
            int t = e.getKey();
            double wall = median(mine.stream().map(Sample::wallSeconds).toList());
            double cpu = median(mine.stream().map(Sample::cpuSeconds).toList());
            double serial = median(mine.stream().map(Sample::serialCpu).toList());
            double task = median(mine.stream().map(Sample::taskCpu).toList());
            double work = median(mine.stream().map(Sample::workerCpu).toList());
            // speed-ups are medians of per-round ratios against the first thread count's run of the same round,
            // so load drifting between rounds cancels
            List<Double> wallUp = new ArrayList<>();
            List<Double> modelUp = new ArrayList<>();
            for (int r = 0; r < mine.size(); r++) {
                Sample b = first.get(r);
                Sample x = mine.get(r);
                wallUp.add(b.wallSeconds() / x.wallSeconds());
                modelUp.add(b.idleCoreWall() / x.idleCoreWall());
            }
            System.out.printf("%s threads=%d: %.1f MB, %d docs, median of %d runs: wall %.2f s = %.2f MB/s, %.0f docs/s "
                            + "(steady state, JVM start excluded), wall speed-up %.2fx; process CPU %.2f s = %.2f MB/s "
                            + "per CPU-second (%.0f docs per CPU-second), serial (calling thread) %.2f s; CPU-model "
                            + "speed-up on %d idle cores %.2fx (1-thread CPU / (serial + rest / %d)), medians of per-round ratios%s%n",
                    label, t, mb, docs, mine.size(), wall, mb / wall, docs / wall, median(wallUp), cpu, mb / cpu,
                    docs / cpu, serial, t, median(modelUp), t,
                    task + work > 0 ? String.format(" [task threads %.2f s: read, write; worker threads %.2f s: "
                            + "parse, steps, encode; rest: GC, JIT]", task, work) : "");
        }
    }

    /** Runs the pipeline once on the embedded executor into fresh output and work directories. */
    static Sample runOnce(PipelineSpec spec, int threads) {
        ExecutorConfig cfg = fresh(spec, threads);
        PoolCpu pools = new PoolCpu();
        long cpu0 = processCpuNanos();
        long serial0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (pools) {
            new EmbeddedExecutor(cfg).run(spec.pipeline(), spec.inputs());
        }
        long t1 = System.nanoTime();
        long serial1 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long cpu1 = processCpuNanos();
        return new Sample(threads, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, (serial1 - serial0) / 1e9,
                pools.seconds("llama3j-data-task-"), pools.seconds("llama3j-data-work-"));
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

    /** The spec's executor settings at {@code threads}, its output and work directories deleted. */
    public static ExecutorConfig fresh(PipelineSpec spec, int threads) {
        ExecutorConfig c = spec.executor();
        delete(c.outputDir());
        delete(c.workDir());
        return c.withThreads(threads);
    }

    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static long lines(Path p) {
        try (Stream<String> s = Files.lines(p)) {
            return s.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // compressed or binary input: documents are not counted
        }
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
