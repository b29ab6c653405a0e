package org.llama3j.data.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.llama3j.data.DataPipelineException;

/**
 * Parallelism inside one task with bounded memory: items (a task's raw input lines) are cut into batches of {@code batchSize}, processed
 * on the worker pool with at most {@code window} batches in flight (a bounded queue), and delivered to the sink
 * strictly in input order, so output does not depend on the thread count or on scheduling. Reading and delivery
 * stay on the calling thread; parsing, the steps and serializing run in
 * the batches, so the calling thread's serial share stays small and throughput scales with the worker count.
 */
final class OrderedBatches {

    /** Consecutive items (raw lines) of a task; {@code firstOrdinal} is the position of the first one in the task. */
    record Batch<E>(List<E> items, long firstOrdinal) {
    }

    private record InFlight<T, R>(T tag, Future<R> result) {
    }

    private OrderedBatches() {
    }

    /**
     * @param tagAtSubmit called on the calling thread right after a batch is filled; its value travels with the
     *                    batch to the sink (used to keep the reader's own removal records in order)
     */
    static <E, T, R> void run(Iterator<E> items, int batchSize, int window, ExecutorService workers,
                              Function<Batch<E>, R> work, Supplier<T> tagAtSubmit, BiConsumer<T, R> sink) {
        Deque<InFlight<T, R>> inFlight = new ArrayDeque<>();
        long ordinal = 0;
        try {
            while (true) {
                List<E> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && items.hasNext()) {
                    batch.add(items.next());
                }
                if (batch.isEmpty()) {
                    break;
                }
                Batch<E> b = new Batch<>(batch, ordinal);
                ordinal += batch.size();
                inFlight.add(new InFlight<>(tagAtSubmit.get(), workers.submit(() -> work.apply(b))));
                if (inFlight.size() >= window) {
                    deliver(inFlight.removeFirst(), sink);
                }
            }
            while (!inFlight.isEmpty()) {
                deliver(inFlight.removeFirst(), sink);
            }
        } finally {
            inFlight.forEach(f -> f.result().cancel(true));
        }
    }

    private static <T, R> void deliver(InFlight<T, R> f, BiConsumer<T, R> sink) {
        try {
            sink.accept(f.tag(), f.result().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataPipelineException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new DataPipelineException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
