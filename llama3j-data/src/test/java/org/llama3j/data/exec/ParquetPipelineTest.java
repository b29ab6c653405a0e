package org.llama3j.data.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.Document;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.io.Compression;
import org.llama3j.data.io.DocumentSource;
import org.llama3j.data.io.ParquetDocumentWriter;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.StepLedger;

/**
 * Parquet on the embedded executor: documents survive a write/read round trip (metadata included) under each codec;
 * a pipeline reading and writing Parquet keeps exactly the documents, and counts exactly the removals, that the
 * same pipeline keeps on the same rows as JSONL; a row without text is quarantined, not a crash.
 */
class ParquetPipelineTest {

    static final StepLedger NO_LEDGER = new StepLedger() {
        @Override
        public void input() {
        }

        @Override
        public void kept() {
        }

        @Override
        public void removed(String documentId, String reason, String detail) {
            throw new AssertionError(documentId + " removed: " + reason + " " + detail);
        }
    };

    static List<Document> read(Path file) {
        try (Stream<Document> docs = DocumentSource.open(file, ReaderConfig.DEFAULTS, r -> {
            throw new AssertionError("quarantined " + r);
        }, NO_LEDGER).documents()) {
            return docs.toList();
        }
    }

    static List<Document> readAll(List<Path> files) {
        List<Document> out = new ArrayList<>();
        files.forEach(f -> out.addAll(read(f)));
        return out;
    }

    @Test
    void documentsRoundTripUnderEveryCodec(@TempDir Path dir) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("url", "https://example.org/a");
        meta.put("year", 2024);
        meta.put("score", 0.25);
        meta.put("english", true);
        meta.put("tags", List.of("x", "y"));
        meta.put("source", Map.of("name", "crawl"));
        List<Document> docs = List.of(new Document("a", "héllo wörld 🙂\nsecond line", meta),
                new Document("b", ""), new Document("c", "plain text", Map.of("lang", "en")));
        for (Compression c : Compression.values()) {
            Path file = dir.resolve(c + ".parquet");
            try (ParquetDocumentWriter w = new ParquetDocumentWriter(file, c)) {
                docs.forEach(w::write);
            }
            assertArrayEquals("PAR1".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(Files.readAllBytes(file), 4));
            assertEquals(docs, read(file), c.name());
            CompressionCodecName expected = switch (c) {
                case NONE -> CompressionCodecName.UNCOMPRESSED;
                case GZIP -> CompressionCodecName.GZIP;
                case ZSTD -> CompressionCodecName.ZSTD;
            };
            try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
                assertEquals(expected, footer.getFooter().getBlocks().getFirst().getColumns().get(1).getCodec());
            }
        }
    }

    static Path yaml(Path dir, String name, String input, String extra) throws IOException {
        Path y = dir.resolve(name + ".yaml");
        Files.writeString(y, """
                input:
                  paths: [%s]
                output: %s
                threads: 2
                %s
                steps:
                  - type: gopher_quality
                  - type: exact_dedup
                  - type: minhash_dedup
                """.formatted(input, name, extra));
        return y;
    }

    @Test
    void parquetInAndOutKeepsWhatJsonlKeeps(@TempDir Path dir) throws IOException {
        // TestCorpus shards without their broken lines, as JSONL and, row for row, as Parquet
        Files.createDirectories(dir.resolve("jsonl"));
        Files.createDirectories(dir.resolve("parquet"));
        for (Path shard : TestCorpus.write(dir.resolve("raw"), 3, 150, 7)) {
            String name = shard.getFileName().toString().replace(".jsonl", "");
            List<String> clean = Files.readAllLines(shard).stream().filter(l -> !l.endsWith("broken")).toList();
            Path jsonl = Files.write(dir.resolve("jsonl/" + name + ".jsonl"), clean);
            try (ParquetDocumentWriter w = new ParquetDocumentWriter(dir.resolve("parquet/" + name + ".parquet"),
                    Compression.NONE)) {
                read(jsonl).forEach(w::write);
            }
        }
        var jsonl = PipelineRunner.run(yaml(dir, "from-jsonl", "jsonl/*.jsonl", ""), null);
        var parquet = PipelineRunner.run(yaml(dir, "from-parquet", "parquet/*.parquet",
                "outputFormat: parquet\noutputCompression: zstd"), null);
        assertEquals(jsonl.stats(), parquet.stats());
        assertEquals(3 * 150 - 3 * 6, jsonl.stats("read").input()); // ids 11, 36, ..., 136 were the broken lines
        assertTrue(jsonl.stats("exact_dedup").removedTotal() > 0 && jsonl.stats("minhash_dedup").removedTotal() > 0,
                jsonl.table());
        assertEquals(List.of("part-00000.parquet", "part-00001.parquet", "part-00002.parquet"),
                parquet.outputs().stream().map(p -> p.getFileName().toString()).toList());
        List<Document> kept = readAll(jsonl.outputs());
        assertEquals(jsonl.stats("minhash_dedup").kept(), kept.size());
        assertEquals(kept, readAll(parquet.outputs()));
        assertEquals("web", kept.getFirst().meta("source"));
    }

    @Test
    void aRowWithoutTextIsQuarantined(@TempDir Path dir) throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message doc {
                  required binary id (STRING);
                  optional binary text (STRING);
                  optional int64 year;
                }""");
        Files.createDirectories(dir.resolve("in"));
        SimpleGroupFactory rows = new SimpleGroupFactory(schema);
        // Snappy, as Hugging Face's and Spark's Parquet files are
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(dir.resolve("in/a.parquet")))
                .withType(schema).withCompressionCodec(CompressionCodecName.SNAPPY)
                .withConf(new PlainParquetConfiguration()).build()) {
            w.write(rows.newGroup().append("id", "has-text").append("text", "hello world").append("year", 2023L));
            w.write(rows.newGroup().append("id", "no-text").append("year", 2024L));
        }
        Files.writeString(dir.resolve("p.yaml"), "input: {paths: [in/*.parquet]}\noutput: out\nsteps:\n  - type: exact_dedup\n");
        var r = PipelineRunner.run(dir.resolve("p.yaml"), null);
        assertEquals(2, r.stats("read").input());
        assertEquals(1L, r.stats("read").removed().get("missing_text"));
        // the int64 column is metadata; read back from the JSONL output it is a JSON number (an Integer)
        assertEquals(List.of(new Document("has-text", "hello world", Map.of("year", 2023))), readAll(r.outputs()));
        List<String> quarantined = Files.readAllLines(dir.resolve("out/quarantine/part-00000.jsonl"));
        assertEquals(1, quarantined.size());
        assertTrue(quarantined.getFirst().contains("a.parquet") && quarantined.getFirst().contains("missing_text"),
                quarantined.getFirst());
    }
}
