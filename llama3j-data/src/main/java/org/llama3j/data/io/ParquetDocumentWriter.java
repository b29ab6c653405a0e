package org.llama3j.data.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.llama3j.data.Document;

/**
 * Documents as Parquet rows {@code (id STRING, text STRING, metadata JSON)}: id and text are columns as in Hugging
 * Face text datasets; the metadata map, whose keys vary per document and are unknown when a streaming shard starts,
 * is one JSON object column that {@link ParquetDocumentReader} spreads back into the metadata. Written without
 * Hadoop (local files), as the reader.
 */
public final class ParquetDocumentWriter implements DocumentWriter {

    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message document {
              required binary id (STRING);
              required binary text (STRING);
              optional binary metadata (JSON);
            }""");
    private static final SimpleGroupFactory ROWS = new SimpleGroupFactory(SCHEMA);

    private final Path file;
    private final ParquetWriter<Group> writer;

    public ParquetDocumentWriter(Path file, Compression compression) {
        this.file = file;
        CompressionCodecName codec = switch (compression) {
            case NONE -> CompressionCodecName.UNCOMPRESSED;
            case GZIP -> CompressionCodecName.GZIP;
            case ZSTD -> CompressionCodecName.ZSTD;
        };
        try {
            writer = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(SCHEMA)
                    .withCompressionCodec(codec).withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .withConf(new PlainParquetConfiguration()).build();
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot create Parquet output " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    @Override
    public Object encode(Document doc) {
        Group row = ROWS.newGroup().append("id", doc.id()).append("text", doc.text());
        if (!doc.metadata().isEmpty()) {
            row.append("metadata", JsonlWriter.json(doc.metadata()));
        }
        return row;
    }

    @Override
    public void writeEncoded(Object encoded) {
        try {
            writer.write((Group) encoded);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + file + " failed", e);
        }
    }
}
