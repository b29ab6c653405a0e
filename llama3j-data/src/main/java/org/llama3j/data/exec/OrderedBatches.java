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
import org.llama3j.data.Document;

/**
 * Parallelism inside one task with bounded memory: documents are cut into batches of {@code batchSize}, processed
 * on the worker pool with at most {@code window} batches in flight (a bounded queue), and delivered to the sink
 * strictly in input order, so output does not depend on the thread count or on scheduling. Reading and delivery
 * stay on the calling thread.
 */
final class OrderedBatches {

    /** Consecutive documents of a task; {@code firstOrdinal} is the position of the first one in the task. */
    record Batch(List<Document> docs, long firstOrdinal) {
    }

    private record InFlight<T, R>(T tag, Future<R> result) {
    }

    private OrderedBatches() {
    }

    /**
     * @param tagAtSubmit called on the calling thread right after a batch is filled; its value travels with the
     *                    batch to the sink (used to keep the reader's own removal records in order)
     */
    static <T, R> void run(Iterator<Document> docs, int batchSize, int window, ExecutorService workers,
                           Function<Batch, R> work, Supplier<T> tagAtSubmit, BiConsumer<T, R> sink) {
        Deque<InFlight<T, R>> inFlight = new ArrayDeque<>();
        long ordinal = 0;
        try {
            while (true) {
                List<Document> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && docs.hasNext()) {
                    batch.add(docs.next());
                }
                if (batch.isEmpty()) {
                    break;
                }
                Batch b = new Batch(batch, ordinal);
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
