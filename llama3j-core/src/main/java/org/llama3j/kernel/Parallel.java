package org.llama3j.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixed worker pool kernels split their work over. Sized to the machine's cores by default
 * ({@code llama3j.threads} system property or {@link #setThreads}); the threads claim contiguous
 * ranges as they go, each a share of what is left (guided self-scheduling), so that ranges shrink
 * towards the end and all threads finish together, even when one of them loses its core for a
 * while. Calls from inside a running parallel body run inline.
 */
public final class Parallel {

    /** Body of a parallel loop over a half-open range of indices. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * A way to run a loop body over {@code [0, count)} in ranges of at least {@code minBlock}
     * indices: {@link #forRange} itself, or a pool of the caller's own (the training layers' pools).
     */
    @FunctionalInterface
    public interface Loop {
        void forRange(int count, int minBlock, RangeBody body);
    }

    /**
     * A claimed range is what is left divided by {@code CLAIM_DIVISOR × threads}, and at least a
     * {@code MIN_PIECE_FRACTION}th of a thread's share: about a dozen claims per thread per loop, each one
     * atomic compare-and-set. Equal pieces (four per thread, as before) left one thread idle for up to
     * a piece at every one of a decode step's ~80 loops: a piece of the 1B model's gate/up step takes
     * ~0.15 ms on this machine.
     */
    static final int CLAIM_DIVISOR = 2;
    static final int MIN_PIECE_FRACTION = 16;

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
        return pool.size();
    }

    /** Replaces the pool with one of {@code n} threads. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != pool.size()) {
            WorkerPool old = pool;
            pool = new WorkerPool(n);
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} over [0, n) on at most {@link #threads()} threads, each with at least
     * {@code grain} indices of work, as contiguous ranges claimed as they go (see the class comment).
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
        if (n <= 0) {
            return;
        }
        WorkerPool p = pool;
        int units = (n + unit - 1) / unit;
        int chunks = Math.min(Math.min(p.size(), units), Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || p.isWorkerThread()) {
            body.run(0, n);
            return;
        }
        // Ranges claimed one at a time, not one fixed slice per thread: when another job takes a core
        // from one thread mid-kernel, the others take over the rest instead of spinning until it comes
        // back (on a loaded 2-core machine that wait was 15% of a batched decode step).
        int minPiece = Math.max(1, units / (chunks * MIN_PIECE_FRACTION));
        int divisor = CLAIM_DIVISOR * chunks;
        AtomicInteger next = new AtomicInteger();
        p.run(chunks, (w, ws) -> {
            for (int claimed = next.get(); claimed < units; claimed = next.get()) {
                int left = units - claimed;
                int size = Math.min(left, Math.max(minPiece, left / divisor));
                if (next.compareAndSet(claimed, claimed + size)) {
                    body.run(claimed * unit, Math.min(n, (claimed + size) * unit));
                }
            }
        });
    }
}
