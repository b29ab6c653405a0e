package org.llama3j.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The fixed worker pool kernels split their work over. Sized to the machine's cores by default
 * ({@code llama3j.threads} system property or {@link #setThreads}); work is split into equal
 * contiguous ranges so that all workers finish together on uniform rows.
 */
public final class Parallel {

    /** Body of a parallel loop over a half-open range of indices. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile ForkJoinPool pool = newPool(defaultThreads());

    private Parallel() {
    }

    private static int defaultThreads() {
        String p = System.getProperty("llama3j.threads");
        if (p != null && !p.isBlank()) {
            return Math.max(1, Integer.parseInt(p.trim()));
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("llama3j-worker-" + t.getPoolIndex());
            return t;
        }, null, false);
    }

    /** Number of worker threads. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the pool with one of {@code n} threads. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != pool.getParallelism()) {
            ForkJoinPool old = pool;
            pool = newPool(n);
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} over [0, n), split into at most {@link #threads()} contiguous ranges of at
     * least {@code grain} indices. Runs inline when the work is too small to split.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int workers = threads();
        int chunks = Math.min(workers, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || java.util.concurrent.ForkJoinTask.getPool() == pool) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        RecursiveAction[] tasks = new RecursiveAction[chunks];
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c] = new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            };
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(tasks);
            }
        });
    }
}
