package org.llama3j.data.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.exec.AtomicFiles;
import org.llama3j.data.exec.Stage;
import org.llama3j.data.exec.TaskLedger;
import org.llama3j.data.io.Compression;
import org.llama3j.data.io.DocumentSource;
import org.llama3j.data.io.DocumentWriter;
import org.llama3j.data.io.JsonlWriter;
import org.llama3j.data.io.OutputFormat;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.StepStats;

/**
 * One stage of the pipeline run on one task (one Spark partition = one input file, as in the embedded executor):
 * the stage's global step (bound to its decision) then its document steps, one document at a time. The same file
 * layout as the embedded executor is written by the partition itself (removals, quarantine, and for the last stage
 * the output shard) under temp names renamed on completion, so a retried Spark task rewrites them whole.
 * Document keys are {@code Keyed.key(task, position in this stage's input)}, exactly what the embedded executor
 * assigns when it re-reads a stage's input file, so key-ordered decisions agree.
 */
final class StagePartition implements Serializable {

    private final int stage;
    private final boolean last;
    private final String headLabel;
    private final List<DocumentStep> locals;
    private final List<String> localLabels;
    private final ReaderConfig reader;
    private final List<String> inputs;
    private final String outputDir;
    private final Compression compression;
    private final OutputFormat format;

    StagePartition(Stage stage, boolean last, ReaderConfig reader, List<String> inputs, String outputDir,
                   Compression compression, OutputFormat format) {
        this.stage = stage.index();
        this.last = last;
        this.headLabel = stage.headLabel();
        this.locals = new ArrayList<>(stage.locals());
        this.localLabels = new ArrayList<>(stage.localLabels());
        this.reader = reader;
        this.inputs = new ArrayList<>(inputs);
        this.outputDir = outputDir;
        this.compression = compression;
        this.format = format;
    }

    Path finalOutput(int task) {
        return Path.of(outputDir, format.shardName(task, compression));
    }

    /**
     * Runs the stage on one task. Stage 0 reads input file {@code task} itself ({@code docs} is ignored);
     * later stages take the previous stage's kept documents of the task, in order.
     */
    Iterator<StageRecord> run(int task, Iterator<Document> docs, TaskDecision head) {
        return new Run(task, docs, head);
    }

    /** A lazy pass over the task: kept documents as they come, the counts after the last one. */
    private final class Run implements Iterator<StageRecord> {

        private final int task;
        private final TaskDecision head;
        private final Map<String, TaskLedger> ledgers = new LinkedHashMap<>();
        private final TaskLedger read;
        private final Path removalsPath;
        private final Path quarantinePath;
        private final Path outputPath;
        private final JsonlWriter removals;
        private final JsonlWriter quarantine;
        private final DocumentWriter output;
        private final Stream<Document> source;
        private final Iterator<Document> docs;
        private long ordinal;
        private StageRecord next;
        private boolean finished;

        Run(int task, Iterator<Document> upstream, TaskDecision head) {
            this.task = task;
            this.head = head;
            removalsPath = Path.of(outputDir, "removals", String.format("stage-%d-part-%05d.jsonl", stage, task));
            quarantinePath = Path.of(outputDir, "quarantine", String.format("part-%05d.jsonl", task));
            outputPath = last ? finalOutput(task) : null;
            try {
                Files.createDirectories(removalsPath.getParent());
                Files.createDirectories(quarantinePath.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create output directories under " + outputDir, e);
            }
            removals = new JsonlWriter(AtomicFiles.temp(removalsPath));
            output = last ? format.open(AtomicFiles.temp(outputPath), compression) : null;
            read = stage == 0 ? new TaskLedger("read", removals::writeObject) : null;
            if (head != null) {
                ledgers.put(headLabel, new TaskLedger(headLabel, removals::writeObject));
            }
            for (String l : localLabels) {
                ledgers.put(l, new TaskLedger(l, removals::writeObject));
            }
            if (stage == 0) {
                quarantine = new JsonlWriter(AtomicFiles.temp(quarantinePath));
                Path in = Path.of(inputs.get(task));
                source = DocumentSource.open(in, reader, quarantine::writeObject, read).documents();
                docs = source.iterator();
            } else {
                quarantine = null;
                source = null;
                docs = upstream;
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null && !finished) {
                if (docs.hasNext()) {
                    Document kept = process(docs.next());
                    if (kept != null) {
                        if (output != null) {
                            output.write(kept);
                        } else {
                            next = new StageRecord.Kept(kept);
                        }
                    }
                } else {
                    next = finish();
                    finished = true;
                }
            }
            return next != null;
        }

        @Override
        public StageRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            StageRecord r = next;
            next = null;
            return r;
        }

        private Document process(Document doc) {
            long key = Keyed.key(task, ordinal++);
            Document d = doc;
            if (head != null) {
                d = ledgers.get(headLabel).record(d, head.apply(key, d));
            }
            for (int i = 0; i < locals.size() && d != null; i++) {
                d = ledgers.get(localLabels.get(i)).record(d, locals.get(i).process(d));
            }
            return d;
        }

        private StageRecord finish() {
            if (source != null) {
                source.close();
            }
            removals.close();
            AtomicFiles.commit(AtomicFiles.temp(removalsPath), removalsPath);
            if (quarantine != null) {
                quarantine.close();
                AtomicFiles.commit(AtomicFiles.temp(quarantinePath), quarantinePath);
            }
            if (output != null) {
                output.close();
                AtomicFiles.commit(AtomicFiles.temp(outputPath), outputPath);
            }
            List<StepStats> stats = new ArrayList<>();
            if (read != null) {
                stats.add(read.stats());
            }
            ledgers.values().forEach(l -> stats.add(l.stats()));
            return new StageRecord.Counts(stats);
        }
    }
}
