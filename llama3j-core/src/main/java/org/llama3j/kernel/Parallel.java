package org.llama3j.kernel;

/**
 * The fixed worker pool kernels split their work over. Sized to the machine's cores by default
 * ({@code llama3j.threads} system property or {@link #setThreads}); work is cut into
 * {@link WorkerPool#PIECES_PER_THREAD} equal contiguous ranges per thread, which the threads claim as they go,
 * so that all finish together even when one of them loses its core for a while. Calls from inside
 * a running parallel body run inline.
 */
public final class Parallel {

    /** Body of a parallel loop over a half-open range of indices. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile WorkerPool pool = new WorkerPool(defaultThreads());

    private Parallel() {
    }

    private static int defaultThreads() {
        String p = System.getProperty("llama3j.threads");
        if (p != null && !p.isBlank()) {
            return Math.max(1, Integer.parseInt(p.trim()));
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Number of worker threads (the calling thread included). */
    public static int threads() {
        return pool.threads();
    }

    /** Replaces the pool with one of {@code n} threads. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != pool.threads()) {
            WorkerPool old = pool;
            pool = new WorkerPool(n);
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} over [0, n) on at most {@link #threads()} threads, each with at least
     * {@code grain} indices of work, as up to {@link WorkerPool#PIECES_PER_THREAD} contiguous ranges per thread.
     * Runs inline when the work is too small to split.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        forUnits(n, 1, grain, body);
    }

    /**
     * As {@link #forRange} with every range boundary a multiple of {@code unit} (except the end
     * {@code n}), so tiled kernels get whole tiles; {@code grain} counts indices.
     */
    public static void forUnits(int n, int unit, int grain, RangeBody body) {
        pool.forUnits(n, unit, grain, body);
    }
}
