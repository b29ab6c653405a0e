package org.llama3j.data.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
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
import org.llama3j.data.step.StepLedger;

/**
 * A Parquet file's rows as documents, with the JSONL reader's rules: the {@code textKey} column is the text, the
 * {@code idKey} column the id (else {@code file:row}), every other top-level scalar column metadata, and a
 * {@code metadata} column holding a JSON object (what {@link ParquetDocumentWriter} writes) is spread into the
 * metadata as JSONL's {@code metadata} object is. A row without a string text, or with text over
 * {@code maxDocumentChars}, is quarantined with the reason; a file that cannot be read fails the task with its name.
 * Hugging Face datasets ship as Parquet with exactly this shape ({@code text}, {@code id}, {@code url}, ...).
 * Rows are decoded on the reading thread ({@link #records}); turning a row into a document ({@link #parse}) is cheap.
 */
public final class ParquetDocumentReader implements DocumentSource<ParquetDocumentReader.Row> {

    /** One decoded row and its 1-based number in the file. */
    public record Row(Group group, long number) {
    }

    private final Path file;
    private final ReaderConfig config;
    private final QuarantineSink quarantine;
    private final StepLedger ledger;
    private final ParquetReader<Group> reader;

    public ParquetDocumentReader(Path file, ReaderConfig config, QuarantineSink quarantine, StepLedger ledger) {
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

    public static boolean isParquet(Path p) {
        return p.getFileName().toString().endsWith(".parquet");
    }

    @Override
    public Stream<Document> documents() {
        return DocumentSource.stream(this, quarantine, ledger);
    }

    @Override
    public Iterator<Row> records() {
        return new Iterator<>() {
            Row next;
            boolean done;
            long row;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
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
                        next = new Row(g, ++row);
                    }
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }
        };
    }

    @Override
    public Document parse(Row row, QuarantineSink quarantine, StepLedger ledger) {
        ledger.input();
        Group g = row.group();
        long n = row.number();
        String where = file.getFileName() + ":" + n;
        String text = scalar(g, config.textKey()) instanceof String s ? s : null;
        if (text == null) {
            return reject(where, n, "missing_text", "row " + n + " has no string column '" + config.textKey() + "'",
                    quarantine, ledger);
        }
        if (text.length() > config.maxDocumentChars()) {
            return reject(where, n, "oversized_document", "row " + n + ": " + text.length()
                    + " chars exceed maxDocumentChars " + config.maxDocumentChars(), quarantine, ledger);
        }
        Object idValue = scalar(g, config.idKey());
        String id = idValue != null ? idValue.toString() : where;
        Map<String, Object> meta = new LinkedHashMap<>();
        for (Type field : g.getType().getFields()) {
            String name = field.getName();
            if (name.equals(config.textKey()) || name.equals(config.idKey()) || !field.isPrimitive()) {
                continue;
            }
            Object v = scalar(g, name);
            if (v instanceof String json && name.equals("metadata") && field.getLogicalTypeAnnotation()
                    instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                if (!spread(json, meta)) {
                    return reject(where, n, "malformed_json", "row " + n + ": column 'metadata' is not a JSON object",
                            quarantine, ledger);
                }
            } else if (v != null) {
                meta.put(name, v);
            }
        }
        ledger.kept();
        return new Document(id, text, meta);
    }

    /** A JSON object's non-null fields into {@code meta}, as the JSONL reader spreads a {@code metadata} object. */
    private static boolean spread(String json, Map<String, Object> meta) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return false;
        }
        if (node == null || !node.isObject()) {
            return false;
        }
        node.properties().forEach(m -> {
            if (!m.getValue().isNull()) {
                meta.put(m.getKey(), Json.MAPPER.convertValue(m.getValue(), Object.class));
            }
        });
        return true;
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
                    instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
                    ? g.getString(i, 0) : null;
            case INT64 -> g.getLong(i, 0);
            case INT32 -> g.getInteger(i, 0);
            case DOUBLE -> g.getDouble(i, 0);
            case FLOAT -> g.getFloat(i, 0);
            case BOOLEAN -> g.getBoolean(i, 0);
            default -> null;
        };
    }

    private Document reject(String where, long rowNumber, String reason, String detail, QuarantineSink quarantine,
                            StepLedger ledger) {
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
