package org.llama3j.data.exec;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.Document;
import org.llama3j.data.io.DocumentSource;
import org.llama3j.data.io.DocumentWriter;
import org.llama3j.data.io.Json;
import org.llama3j.data.io.JsonlReader;
import org.llama3j.data.io.JsonlWriter;
import org.llama3j.data.io.QuarantineRecord;
import org.llama3j.data.io.QuarantineSink;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.StepLedger;
import org.llama3j.data.step.StepStats;
import org.llama3j.data.step.Verdict;

/**
 * Runs a {@link Pipeline} on this machine with a fixed pool of worker threads.
 * <ul>
 *   <li><b>Tasks:</b> one per input file, run by up to {@code threads} task threads. A task streams its file and
 *       hands batches of documents to a worker pool with a bounded window of batches in flight
 *       ({@link OrderedBatches}), writing results in input order: memory is bounded by the window (plus what
 *       global steps keep per document in their decide phase) and output does not depend on the thread count.</li>
 *   <li><b>Stages:</b> the pipeline is cut before each {@link GlobalStep}; its decision is computed from the
 *       previous stage's complete output (signatures in key order, computed in parallel with a bounded prefetch
 *       window), then applied task by task.</li>
 *   <li><b>Restart:</b> a task's output, removal log, quarantine and stats are written to temp files and renamed;
 *       its completion marker is written last. A re-run skips marked tasks and recomputes decisions only for
 *       stages with pending tasks (decisions are deterministic functions of the previous stage's output).
 *       The work directory records a fingerprint of the pipeline and inputs and refuses to resume another.</li>
 * </ul>
 */
public final class EmbeddedExecutor {

    /** Work files were written by us; limits were enforced on first read. */
    private static final ReaderConfig WORK_READER = new ReaderConfig("text", "id", Long.MAX_VALUE, Integer.MAX_VALUE - 64);

    /** Documents per unit of parallel work inside a task; at most 2 x threads batches are in flight. */
    private static final int BATCH_SIZE = 64;

    private final ExecutorConfig config;

    public EmbeddedExecutor(ExecutorConfig config) {
        this.config = config;
    }

    public PipelineResult run(Pipeline pipeline, List<Path> inputs) {
        if (inputs.isEmpty()) {
            throw new DataPipelineException("no input files to process");
        }
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                throw new DataPipelineException("input file " + p + " does not exist or is not a file");
            }
        }
        checkFingerprint(pipeline, inputs);
        List<Stage> stages = Stage.plan(pipeline.steps(), pipeline.labels());
        ExecutorService pool = newPool("llama3j-data-task-");
        ExecutorService workers = newPool("llama3j-data-work-");
        int run = 0;
        int skipped = 0;
        try {
            List<Path> stageInputs = inputs;
            for (Stage stage : stages) {
                boolean last = stage.index() == stages.size() - 1;
                List<Path> outputs = new ArrayList<>();
                List<Integer> pending = new ArrayList<>();
                for (int t = 0; t < inputs.size(); t++) {
                    outputs.add(last ? finalOutput(t) : workOutput(stage.index(), t));
                    if (!Files.exists(marker(stage.index(), t))) {
                        pending.add(t);
                    }
                }
                skipped += inputs.size() - pending.size();
                run += pending.size();
                if (!pending.isEmpty()) {
                    Bound<?, ?> head = stage.head() == null ? null : bind(stage.head(), stageInputs, pool, workers);
                    runTasks(pipeline, stage, head, pending, stageInputs, outputs, last, pool, workers);
                }
                stageInputs = outputs;
            }
            List<StepStats> stats = mergeStats(stages, inputs.size());
            writeStatsJson(stats);
            return new PipelineResult(stats, stageInputs, run, skipped);
        } finally {
            pool.shutdownNow();
            workers.shutdownNow();
        }
    }

    /**
     * Task threads read, write and wait; worker threads only compute and never wait on other work, so the two
     * pools cannot deadlock each other.
     */
    private ExecutorService newPool(String prefix) {
        AtomicInteger threadNo = new AtomicInteger();
        return Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, prefix + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    // ---- layout ------------------------------------------------------------------------------------------

    private Path finalOutput(int task) {
        return config.finalOutput(task);
    }

    private Path stageDir(int stage) {
        return config.workDir().resolve("stage-" + stage);
    }

    private Path workOutput(int stage, int task) {
        return stageDir(stage).resolve(String.format("part-%05d.jsonl", task));
    }

    private Path marker(int stage, int task) {
        return stageDir(stage).resolve(String.format("part-%05d.done", task));
    }

    private Path statsFile(int stage, int task) {
        return stageDir(stage).resolve(String.format("part-%05d.stats.json", task));
    }

    private Path removalsFile(int stage, int task) {
        return config.outputDir().resolve("removals").resolve(String.format("stage-%d-part-%05d.jsonl", stage, task));
    }

    private Path quarantineFile(int task) {
        return config.outputDir().resolve("quarantine").resolve(String.format("part-%05d.jsonl", task));
    }

    private void checkFingerprint(Pipeline pipeline, List<Path> inputs) {
        StringBuilder fp = new StringBuilder(pipeline.fingerprint()).append('\n');
        inputs.forEach(p -> fp.append(p.toAbsolutePath().normalize()).append('\n'));
        Path file = config.workDir().resolve("pipeline.fingerprint");
        try {
            if (Files.exists(file)) {
                if (!Files.readString(file).contentEquals(fp)) {
                    throw new DataPipelineException("work directory " + config.workDir() + " belongs to a different "
                            + "pipeline or input list; delete it (or choose another workDir) to start over");
                }
            } else {
                AtomicFiles.writeString(file, fp.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    // ---- global steps ------------------------------------------------------------------------------------

    /** A global step with its decision, ready for the apply phase. */
    private record Bound<S, D extends Serializable>(GlobalStep<S, D> step, D decision) {
        Verdict apply(long key, Document doc) {
            return step.apply(key, doc, decision);
        }
    }

    private <S, D extends Serializable> Bound<S, D> bind(GlobalStep<S, D> step, List<Path> files, ExecutorService pool,
                                                         ExecutorService workers) {
        try (Stream<Keyed<S>> sigs = signatures(step, files, pool, workers)) {
            return new Bound<>(step, step.decide(sigs));
        }
    }

    /** Signatures of all documents in key order; tasks are computed in parallel, at most {@code threads} ahead. */
    private <S> Stream<Keyed<S>> signatures(GlobalStep<S, ?> step, List<Path> files, ExecutorService pool,
                                            ExecutorService workers) {
        Deque<Future<List<Keyed<S>>>> window = new ArrayDeque<>();
        int[] nextTask = {0};
        Runnable fill = () -> {
            while (window.size() < config.threads() && nextTask[0] < files.size()) {
                int t = nextTask[0]++;
                Path f = files.get(t);
                window.add(pool.submit(() -> taskSignatures(step, t, f, workers)));
            }
        };
        Iterator<List<Keyed<S>>> perTask = new Iterator<>() {
            int delivered;

            @Override
            public boolean hasNext() {
                return delivered < files.size();
            }

            @Override
            public List<Keyed<S>> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                fill.run();
                Future<List<Keyed<S>>> f = window.removeFirst();
                try {
                    List<Keyed<S>> out = f.get();
                    delivered++;
                    return out;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DataPipelineException("interrupted while computing signatures of " + step.name(), e);
                } catch (ExecutionException e) {
                    throw new DataPipelineException(step.name() + ": signature phase failed on "
                            + files.get(delivered) + ": " + e.getCause(), e.getCause());
                }
            }
        };
        return StreamSupport.stream(((Iterable<List<Keyed<S>>>) () -> perTask).spliterator(), false)
                .flatMap(List::stream)
                .onClose(() -> window.forEach(f -> f.cancel(true)));
    }

    private <S> List<Keyed<S>> taskSignatures(GlobalStep<S, ?> step, int task, Path file, ExecutorService workers) {
        List<Keyed<S>> out = new ArrayList<>();
        JsonlReader reader = workReader(file);
        try {
            OrderedBatches.run(reader.records(), BATCH_SIZE, window(), workers, batch -> {
                List<Keyed<S>> sigs = new ArrayList<>(batch.items().size());
                for (int i = 0; i < batch.items().size(); i++) {
                    Document doc = reader.parse(batch.items().get(i), STRICT_QUARANTINE, strictLedger(file));
                    sigs.add(new Keyed<>(Keyed.key(task, batch.firstOrdinal() + i), step.signature(doc)));
                }
                return sigs;
            }, () -> null, (tag, sigs) -> out.addAll(sigs));
        } finally {
            reader.close();
        }
        return out;
    }

    private int window() {
        return 2 * config.threads();
    }

    private static JsonlReader workReader(Path file) {
        return new JsonlReader(file, WORK_READER, STRICT_QUARANTINE, strictLedger(file));
    }

    /** Work files were written by us: a record that does not parse means the work directory is damaged. */
    private static final QuarantineSink STRICT_QUARANTINE = r -> { };

    private static StepLedger strictLedger(Path file) {
        return new StepLedger() {
            @Override
            public void input() {
            }

            @Override
            public void kept() {
            }

            @Override
            public void removed(String documentId, String reason, String detail) {
                throw new DataPipelineException("work file " + file + " is corrupt at " + documentId + ": " + reason
                        + (detail == null ? "" : " (" + detail + ")") + "; delete the work directory and re-run");
            }
        };
    }

    // ---- tasks -------------------------------------------------------------------------------------------

    private void runTasks(Pipeline pipeline, Stage stage, Bound<?, ?> head, List<Integer> pending, List<Path> inputs,
                          List<Path> outputs, boolean last, ExecutorService pool, ExecutorService workers) {
        Map<Integer, Future<?>> futures = new LinkedHashMap<>();
        for (int t : pending) {
            futures.put(t, pool.submit(() -> runTask(pipeline, stage, head, t, inputs.get(t), outputs.get(t), last,
                    workers)));
        }
        DataPipelineException failure = null;
        for (Map.Entry<Integer, Future<?>> e : futures.entrySet()) {
            try {
                e.getValue().get();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new DataPipelineException("interrupted", ie);
            } catch (ExecutionException ee) {
                String msg = "stage " + stage.index() + ", task " + e.getKey() + " (" + inputs.get(e.getKey())
                        + ") failed: " + ee.getCause();
                if (failure == null) {
                    failure = new PipelineExecutionException(msg, ee.getCause());
                } else {
                    failure.addSuppressed(new PipelineExecutionException(msg, ee.getCause()));
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * What one batch produced, serialized on the worker: kept documents encoded for the output writer, removal
     * records as JSON lines, quarantined records, per-step counts (with "read" in the first stage), all in input order.
     */
    private record BatchOut(List<Object> kept, List<StepStats> stats, List<String> removals,
                            List<QuarantineRecord> quarantined) {
    }

    private <R> BatchOut processBatch(Stage stage, Bound<?, ?> head, int task, DocumentSource<R> reader, Path input,
                                      DocumentWriter out, OrderedBatches.Batch<R> batch) {
        boolean first = stage.index() == 0;
        List<Map<String, Object>> removals = new ArrayList<>();
        List<QuarantineRecord> quarantined = new ArrayList<>();
        List<TaskLedger> ledgers = new ArrayList<>();
        StepLedger readLedger = strictLedger(input);
        if (first) {
            TaskLedger read = new TaskLedger("read", removals::add);
            ledgers.add(read);
            readLedger = read;
        }
        List<Document> docs = new ArrayList<>(batch.items().size());
        for (R record : batch.items()) {
            Document d = reader.parse(record, quarantined::add, readLedger);
            if (d != null) {
                docs.add(d);
            }
        }
        Stream<Document> s = docs.stream();
        if (head != null) {
            // later stages read work files, where every line is a document: line ordinal = document ordinal
            TaskLedger hl = new TaskLedger(stage.headLabel(), removals::add);
            ledgers.add(hl);
            long[] ordinal = {batch.firstOrdinal()};
            s = s.mapMulti((doc, sink) -> {
                Document kept = hl.record(doc, head.apply(Keyed.key(task, ordinal[0]++), doc));
                if (kept != null) {
                    sink.accept(kept);
                }
            });
        }
        for (int i = 0; i < stage.locals().size(); i++) {
            TaskLedger l = new TaskLedger(stage.localLabels().get(i), removals::add);
            ledgers.add(l);
            s = stage.locals().get(i).apply(s, l);
        }
        List<Object> kept = s.map(out::encode).toList();
        return new BatchOut(kept, ledgers.stream().map(TaskLedger::stats).toList(),
                removals.stream().map(JsonlWriter::json).toList(), quarantined);
    }

    /** Removal and quarantine records the task thread's reader produced (a corrupt stream), kept in order. */
    private record ReaderRecords(List<Map<String, Object>> removals, List<QuarantineRecord> quarantined) {
        ReaderRecords() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        ReaderRecords drain() {
            ReaderRecords taken = new ReaderRecords(new ArrayList<>(removals), new ArrayList<>(quarantined));
            removals.clear();
            quarantined.clear();
            return taken;
        }
    }

    /** The task thread only splits records and writes; workers parse, run the steps and encode. */
    private <R> void runBatches(Stage stage, Bound<?, ?> head, int task, DocumentSource<R> reader, Path input,
                                DocumentWriter out, JsonlWriter rem, QuarantineSink quarantined,
                                ReaderRecords pendingReader, Map<String, StepStats> stats, ExecutorService workers) {
        OrderedBatches.run(reader.records(), BATCH_SIZE, window(), workers,
                batch -> processBatch(stage, head, task, reader, input, out, batch),
                pendingReader::drain,
                (readerTag, b) -> {
                    b.quarantined().forEach(quarantined::accept);
                    b.removals().forEach(rem::writeLine);
                    // the reader's own records (a corrupt stream) come after the records read before them
                    readerTag.quarantined().forEach(quarantined::accept);
                    readerTag.removals().forEach(rem::writeObject);
                    b.kept().forEach(out::writeEncoded);
                    b.stats().forEach(st -> stats.merge(st.step(), st, StepStats::plus));
                });
    }

    private void runTask(Pipeline pipeline, Stage stage, Bound<?, ?> head, int task, Path input, Path output,
                         boolean last, ExecutorService workers) {
        boolean first = stage.index() == 0;
        Path removals = removalsFile(stage.index(), task);
        Path quarantine = quarantineFile(task);
        try {
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.createDirectories(removals.getParent());
            Files.createDirectories(stageDir(stage.index()));
            if (first) {
                Files.createDirectories(quarantine.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output directories for " + output, e);
        }
        // stats in pipeline order, present even when no document reaches a step
        Map<String, StepStats> stats = new LinkedHashMap<>();
        if (first) {
            stats.put("read", new StepStats("read", 0, 0, Map.of()));
        }
        if (head != null) {
            stats.put(stage.headLabel(), new StepStats(stage.headLabel(), 0, 0, Map.of()));
        }
        stage.localLabels().forEach(l -> stats.put(l, new StepStats(l, 0, 0, Map.of())));
        ReaderRecords pendingReader = new ReaderRecords();
        TaskLedger streamLedger = new TaskLedger("read", pendingReader.removals()::add);
        // work files between stages are JSONL; the last stage writes the configured format
        try (DocumentWriter out = last ? config.outputFormat().open(AtomicFiles.temp(output), config.outputCompression())
                : new JsonlWriter(AtomicFiles.temp(output));
             JsonlWriter rem = new JsonlWriter(AtomicFiles.temp(removals));
             JsonlWriter quar = first ? new JsonlWriter(AtomicFiles.temp(quarantine)) : null) {
            QuarantineSink quarantined = r -> quar.writeObject(r); // only the first stage reads raw input
            DocumentSource<?> reader = first ? DocumentSource.open(input, pipeline.reader(),
                    pendingReader.quarantined()::add, streamLedger) : workReader(input);
            try {
                runBatches(stage, head, task, reader, input, out, rem, quarantined, pendingReader, stats, workers);
            } finally {
                reader.close();
            }
            ReaderRecords rest = pendingReader.drain(); // the stream broke after the last full batch
            rest.quarantined().forEach(quarantined::accept);
            rest.removals().forEach(rem::writeObject);
        }
        if (first) {
            stats.merge("read", streamLedger.stats(), StepStats::plus);
        }
        AtomicFiles.commit(AtomicFiles.temp(output), output);
        AtomicFiles.commit(AtomicFiles.temp(removals), removals);
        if (first) {
            AtomicFiles.commit(AtomicFiles.temp(quarantine), quarantine);
        }
        try {
            AtomicFiles.writeString(statsFile(stage.index(), task),
                    Json.MAPPER.writeValueAsString(new ArrayList<>(stats.values())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize stats of task " + task, e);
        }
        AtomicFiles.writeString(marker(stage.index(), task), input.toString() + "\n"); // commit point
    }

    // ---- stats -------------------------------------------------------------------------------------------

    private List<StepStats> mergeStats(List<Stage> stages, int tasks) {
        Map<String, StepStats> merged = new LinkedHashMap<>();
        for (Stage stage : stages) {
            for (int t = 0; t < tasks; t++) {
                List<StepStats> taskStats;
                try {
                    taskStats = Json.MAPPER.readValue(statsFile(stage.index(), t).toFile(), new TypeReference<>() {
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read stats of stage " + stage.index() + " task " + t, e);
                }
                for (StepStats s : taskStats) {
                    merged.merge(s.step(), s, StepStats::plus);
                }
            }
        }
        return new ArrayList<>(merged.values());
    }

    private void writeStatsJson(List<StepStats> stats) {
        try {
            AtomicFiles.writeString(config.outputDir().resolve("stats.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stats));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write stats.json", e);
        }
    }
}
