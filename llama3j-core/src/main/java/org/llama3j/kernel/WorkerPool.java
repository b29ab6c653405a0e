package org.llama3j.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads for data-parallel kernels, with the calling thread as worker 0.
 *
 * <p>A decode step calls ~150 kernels of a few hundred microseconds each, so the cost of handing
 * out work matters: a ForkJoin task costs allocations and a wake-up through the pool's queues per
 * call. Here a job is published by bumping a generation counter that idle workers spin on for a
 * short while ({@link #SPIN_NANOS}) before parking, and the caller spins until every worker has
 * checked in. Each worker runs exactly one pre-assigned slice, so equal slices finish together.
 */
final class WorkerPool {
    /** How long an idle worker polls for the next job before parking (covers the gaps between kernels). */
    static final long SPIN_NANOS = 200_000;

    /** A job: slice {@code worker} of {@code workers}. */
    @FunctionalInterface
    interface Slice {
        void run(int worker, int workers);
    }

    private final int size;
    private final Thread[] threads;
    private final AtomicInteger pending = new AtomicInteger();
    /** The latest job; workers compare its generation with the last one they saw. */
    private volatile Job current = new Job(0, null, 0);
    private volatile boolean shutdown;
    /** Set while the owning caller runs a job (guarded by this pool's monitor). */
    private boolean running;
    private volatile Throwable failure;
    private final AtomicReferenceArray<Thread> parked;

    private record Job(long generation, Slice slice, int workers) {
    }

    WorkerPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, got " + size);
        }
        this.size = size;
        this.threads = new Thread[size - 1];
        this.parked = new AtomicReferenceArray<>(size - 1);
        for (int i = 0; i < threads.length; i++) {
            int index = i + 1;
            Thread t = new Thread(() -> workLoop(index), "llama3j-worker-" + index);
            t.setDaemon(true);
            threads[i] = t;
            t.start();
        }
    }

    int size() {
        return size;
    }

    /** Whether the current thread is one of this pool's background workers. */
    boolean isWorkerThread() {
        Thread me = Thread.currentThread();
        for (Thread t : threads) {
            if (t == me) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code job} as {@code workers} slices (1 ≤ workers ≤ size), slice 0 on the calling
     * thread, and returns when all are done. Not reentrant: one job at a time per pool.
     */
    synchronized void run(int workers, Slice slice) {
        if (workers <= 1 || size == 1 || running) {
            // one slice, or a kernel started from inside a running job: run it all here
            slice.run(0, 1);
            return;
        }
        running = true;
        try {
            dispatch(workers, slice);
        } finally {
            running = false;
        }
    }

    private void dispatch(int workers, Slice slice) {
        int w = Math.min(workers, size);
        failure = null;
        pending.set(w - 1);
        current = new Job(current.generation() + 1, slice, w);
        for (int i = 0; i < w - 1; i++) {
            Thread p = parked.get(i);
            if (p != null) {
                LockSupport.unpark(p);
            }
        }
        Throwable own = null;
        try {
            slice.run(0, w);
        } catch (Throwable t) {
            own = t;
        }
        long spins = 0;
        while (pending.get() != 0) {
            if (++spins < 10_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable f = own != null ? own : failure;
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    void shutdown() {
        shutdown = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }

    private void workLoop(int index) {
        long seen = 0;
        while (!shutdown) {
            Job j = awaitNext(index, seen);
            if (j.generation() == seen) {
                continue;
            }
            seen = j.generation();
            if (index < j.workers() && j.slice() != null) {
                try {
                    j.slice().run(index, j.workers());
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    pending.decrementAndGet();
                }
            }
        }
    }

    /** Spins, then parks, until the generation moves past {@code seen} (or shutdown). */
    private Job awaitNext(int index, long seen) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        Job j;
        while ((j = current).generation() == seen && !shutdown) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                parked.set(index - 1, Thread.currentThread());
                if ((j = current).generation() == seen && !shutdown) {
                    LockSupport.parkNanos(10_000_000);
                }
                parked.set(index - 1, null);
            }
        }
        return j;
    }
}
