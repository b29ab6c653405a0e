package org.llama3j.train.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.llama3j.kernel.Parallel;

/**
 * A fixed number of threads that run a loop over {@code [0, count)} split into contiguous blocks:
 * the {@link Parallel.Loop} the training layers and core's {@link org.llama3j.kernel.Sgemm} run on.
 *
 * <p>Every kernel in this package hands each block a disjoint set of outputs and sums each output
 * in one fixed order, so results are bit-identical whatever the thread count: the pool decides
 * only <em>who</em> computes an output, never the order of the additions that form it.
 */
public final class WorkerPool implements Parallel.Loop, AutoCloseable {

    private static final WorkerPool SERIAL = new WorkerPool(1);

    private final int threads;
    private final ForkJoinPool pool;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("WorkerPool threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** A pool that runs every loop on the calling thread. */
    public static WorkerPool serial() {
        return SERIAL;
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, count)} in blocks of at least {@code minBlock} indices. */
    @Override
    public void forRange(int count, int minBlock, Parallel.RangeBody body) {
        if (count <= 0) {
            return;
        }
        int blocks = Math.min(threads * 4, Math.max(1, count / Math.max(1, minBlock)));
        if (pool == null || blocks <= 1) {
            body.run(0, count);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(blocks);
        for (int b = 0; b < blocks; b++) {
            int start = (int) ((long) count * b / blocks);
            int end = (int) ((long) count * (b + 1) / blocks);
            futures.add(pool.submit(() -> body.run(start, end)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a parallel block", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("parallel block failed", cause);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
