package org.llama3j.data.spark;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.llama3j.data.Document;
import org.llama3j.data.io.QuarantineRecord;
import org.llama3j.data.io.QuarantineSink;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.StepLedger;

/**
 * A Parquet file's rows as documents, with the JSONL reader's rules: the {@code textKey} column is the
 * text, the {@code idKey} column the id (else {@code file:row}), every other top-level scalar column
 * metadata. A row without a string text, or with text over {@code maxDocumentChars}, is quarantined
 * with the reason; a file that cannot be read fails the task with its name. Hugging Face datasets
 * ship as Parquet with exactly this shape ({@code text}, {@code id}, {@code url}, ...).
 */
final class ParquetDocuments implements Closeable {
    private final Path file;
    private final ReaderConfig config;
    private final QuarantineSink quarantine;
    private final StepLedger ledger;
    private final ParquetReader<Group> reader;
    private long row;

    ParquetDocuments(Path file, ReaderConfig config, QuarantineSink quarantine, StepLedger ledger) {
        this.file = file;
        this.config = config;
        this.quarantine = quarantine;
        this.ledger = ledger;
        try {
            // Hadoop-free: Hadoop's FileSystem asks for Subject.getSubject, which JDK 23+ no longer supports
            this.reader = new ParquetReader.Builder<Group>(new LocalInputFile(file), new PlainParquetConfiguration()) {
                @Override
                protected ReadSupport<Group> getReadSupport() {
                    return new GroupReadSupport();
                }
            }.build();
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot open Parquet input " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    static boolean isParquet(Path p) {
        return p.getFileName().toString().endsWith(".parquet");
    }

    /** A lazy stream of the file's documents; closing it closes the file. */
    Stream<Document> documents() {
        Iterator<Document> it = new Iterator<>() {
            Document next;
            boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    Group g;
                    try {
                        g = reader.read();
                    } catch (IOException | RuntimeException e) {
                        throw new UncheckedIOException("cannot read Parquet input " + file + " after row " + row + ": "
                                + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
                    }
                    if (g == null) {
                        done = true;
                    } else {
                        next = document(g, ++row);
                    }
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
                false).onClose(this::close);
    }

    private Document document(Group g, long rowNumber) {
        ledger.input();
        String where = file.getFileName() + ":" + rowNumber;
        String text = scalar(g, config.textKey()) instanceof String s ? s : null;
        if (text == null) {
            return reject(where, rowNumber, "missing_text", "row " + rowNumber + " has no string column '"
                    + config.textKey() + "'");
        }
        if (text.length() > config.maxDocumentChars()) {
            return reject(where, rowNumber, "oversized_document", "row " + rowNumber + ": " + text.length()
                    + " chars exceed maxDocumentChars " + config.maxDocumentChars());
        }
        Object idValue = scalar(g, config.idKey());
        String id = idValue != null ? idValue.toString() : where;
        Map<String, Object> meta = new LinkedHashMap<>();
        GroupType schema = g.getType();
        for (Type field : schema.getFields()) {
            String name = field.getName();
            if (!name.equals(config.textKey()) && !name.equals(config.idKey()) && field.isPrimitive()) {
                Object v = scalar(g, name);
                if (v != null) {
                    meta.put(name, v);
                }
            }
        }
        ledger.kept();
        return new Document(id, text, meta);
    }

    /** A top-level scalar column's value as String, Long, Integer, Double, Float or Boolean; null when absent. */
    private static Object scalar(Group g, String name) {
        GroupType schema = g.getType();
        if (!schema.containsField(name)) {
            return null;
        }
        int i = schema.getFieldIndex(name);
        Type t = schema.getType(i);
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED) || g.getFieldRepetitionCount(i) == 0) {
            return null;
        }
        PrimitiveType p = t.asPrimitiveType();
        return switch (p.getPrimitiveTypeName()) {
            case BINARY, FIXED_LEN_BYTE_ARRAY -> p.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation ? g.getString(i, 0) : null;
            case INT64 -> g.getLong(i, 0);
            case INT32 -> g.getInteger(i, 0);
            case DOUBLE -> g.getDouble(i, 0);
            case FLOAT -> g.getFloat(i, 0);
            case BOOLEAN -> g.getBoolean(i, 0);
            default -> null;
        };
    }

    private Document reject(String where, long rowNumber, String reason, String detail) {
        quarantine.accept(new QuarantineRecord(file.toString(), rowNumber, reason, detail, null, null));
        ledger.removed(where, reason, detail);
        return null;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + file + " failed", e);
        }
    }
}
