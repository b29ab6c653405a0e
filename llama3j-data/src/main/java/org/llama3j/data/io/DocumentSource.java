package org.llama3j.data.io;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.llama3j.data.Document;
import org.llama3j.data.step.StepLedger;

/**
 * An input file as raw records (JSONL lines, Parquet rows) and the rule that turns one record into a document.
 * Executors split records on the reading thread and {@link #parse} them on worker threads, so a record must own
 * its data. Every record is accounted in the ledger given to {@code parse}: kept, or quarantined with a reason.
 *
 * @param <R> the raw record type
 */
public interface DocumentSource<R> extends Closeable {

    /** The file's records in order; problems of the file itself go to the sink and ledger the source was opened with. */
    Iterator<R> records();

    /** One record as a document, or null when it is quarantined (recorded in {@code quarantine} and {@code ledger}). */
    Document parse(R record, QuarantineSink quarantine, StepLedger ledger);

    /** A lazy stream of the file's documents, parsed on the calling thread; closing it closes the file. */
    Stream<Document> documents();

    @Override
    void close();

    /** Opens an input file by its name: {@code .parquet} is Parquet, anything else JSONL (gzip/zstd by extension). */
    static DocumentSource<?> open(Path file, ReaderConfig config, QuarantineSink quarantine, StepLedger ledger) {
        return ParquetDocumentReader.isParquet(file) ? new ParquetDocumentReader(file, config, quarantine, ledger)
                : new JsonlReader(file, config, quarantine, ledger);
    }

    /** {@link #documents()} for any source: records parsed one by one with the given sink and ledger. */
    static <R> Stream<Document> stream(DocumentSource<R> source, QuarantineSink quarantine, StepLedger ledger) {
        Iterator<R> records = source.records();
        Iterator<Document> it = new Iterator<>() {
            Document next;

            @Override
            public boolean hasNext() {
                while (next == null && records.hasNext()) {
                    next = source.parse(records.next(), quarantine, ledger);
                }
                return next != null;
            }

            @Override
            public Document next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Document d = next;
                next = null;
                return d;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(source::close);
    }
}
