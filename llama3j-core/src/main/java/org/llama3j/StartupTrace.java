package org.llama3j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Phase times of a cold start, for finding where the time to first token goes: with
 * {@code -Dllama3j.startupTrace=true} each {@link #mark} prints one line to stderr,
 * {@code llama3j startup: <ms since the process started> ms (+<ms since the previous mark>, this thread's CPU +<ms>) <phase>}.
 * Off (the default) a mark costs one static boolean test.
 *
 * <p>The process age comes from Linux's {@code /proc/self/stat} start time and {@code /proc/uptime}
 * (10 ms resolution), so the first mark includes the JVM's own start-up (and, through {@code exec},
 * the launcher script's). {@link ProcessHandle.Info#startInstant()} is no use here: it adds the
 * boot time, which Linux gives in whole seconds. Elsewhere the times count from this class's
 * initialisation.
 */
public final class StartupTrace {
    private static final boolean ENABLED = Boolean.getBoolean("llama3j.startupTrace");
    /** Clock ticks per second of {@code /proc} times ({@code getconf CLK_TCK}, 100 on every Linux port we run on). */
    private static final double TICKS_PER_SECOND = 100;
    private static final long ORIGIN_NANOS = ENABLED ? System.nanoTime() - processAgeNanos() : 0;
    private static long last = ORIGIN_NANOS;
    private static long lastCpu = threadCpuNanos();

    private StartupTrace() {
    }

    /** Whether marks are printed. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** Prints the time of reaching {@code phase} (when enabled). */
    public static synchronized void mark(String phase) {
        if (!ENABLED) {
            return;
        }
        long now = System.nanoTime();
        long cpu = threadCpuNanos();
        System.err.printf("llama3j startup: %5d ms (+%4d, this thread's CPU +%4d) %s%n", (now - ORIGIN_NANOS) / 1_000_000,
                (now - last) / 1_000_000, (cpu - lastCpu) / 1_000_000, phase);
        last = now;
        lastCpu = cpu;
    }

    /**
     * Prints every thread's CPU time so far (when enabled), summed by thread name with digits removed
     * ({@code C2 CompilerThread0} and {@code ...1} together): where a start's CPU went besides the main thread.
     */
    public static void threadCpuSummary() {
        if (!ENABLED) {
            return;
        }
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+$", "#");
                    long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
                    byName.merge(name, ns, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return;
        }
        StringBuilder sb = new StringBuilder("llama3j startup: CPU ms by thread:");
        byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append(' ').append(e.getKey()).append('=').append(e.getValue() / 1_000_000));
        System.err.println(sb);
    }

    /** CPU time of the calling thread ({@code /proc/thread-self/schedstat}), or 0 where unknown. */
    private static long threadCpuNanos() {
        if (!ENABLED) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** How long this process has been running, or 0 where {@code /proc} cannot say. */
    private static long processAgeNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name (which may hold spaces, so split after its ')'): state is field 3, starttime field 22
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double started = Long.parseLong(f[22 - 3]) / TICKS_PER_SECOND;
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return (long) ((uptime - started) * 1e9);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
