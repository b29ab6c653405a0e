package org.llama3j.data.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.Document;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.exec.PipelineResult;
import org.llama3j.data.io.DocumentSource;
import org.llama3j.data.io.Json;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.CountingLedger;

/**
 * Parquet on the Spark executor: the same rows as Parquet give the same kept documents and step statistics as
 * JSONL on the embedded executor; with Parquet in and Parquet out both executors write the same documents; a row
 * without text is quarantined by both.
 */
class ParquetInputTest {
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message doc {
              required binary id (STRING);
              optional binary text (STRING);
              optional binary url (STRING);
              optional binary date (STRING);
              optional binary category (STRING);
            }""");
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("llama3j-parquet-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        sc.setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    /** SparkExecutorTest's corpus without its broken lines, as JSONL and as Parquet, shard for shard. */
    static void inputs(Path dir) throws IOException {
        List<Path> shards = SparkExecutorTest.corpus(dir.resolve("raw"));
        Files.createDirectories(dir.resolve("jsonl"));
        Files.createDirectories(dir.resolve("parquet"));
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        for (Path shard : shards) {
            String name = shard.getFileName().toString().replace(".jsonl", "");
            List<String> clean = new ArrayList<>();
            try (ParquetWriter<Group> w = writer(dir.resolve("parquet/" + name + ".parquet"))) {
                for (String line : Files.readAllLines(shard)) {
                    JsonNode n;
                    try {
                        n = Json.MAPPER.readTree(line);
                    } catch (IOException broken) {
                        continue;
                    }
                    if (n == null || !n.isObject() || !n.path("text").isTextual()) {
                        continue;
                    }
                    clean.add(line);
                    Group g = groups.newGroup().append("id", n.get("id").asText()).append("text", n.get("text").asText());
                    for (String k : List.of("url", "date", "category")) {
                        if (n.hasNonNull(k)) {
                            g.append(k, n.get(k).asText());
                        }
                    }
                    w.write(g);
                }
            }
            Files.write(dir.resolve("jsonl/" + name + ".jsonl"), clean);
        }
    }

    /** Hadoop-free, as the reader: JDK 23+ refuses Hadoop FileSystem's Subject.getSubject. */
    static ParquetWriter<Group> writer(Path file) throws IOException {
        return writer(file, CompressionCodecName.UNCOMPRESSED);
    }

    static ParquetWriter<Group> writer(Path file, CompressionCodecName codec) throws IOException {
        return ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(SCHEMA).withCompressionCodec(codec)
                .withConf(new PlainParquetConfiguration()).build();
    }

    static Path yaml(Path dir, String input, String output) throws IOException {
        return yaml(dir, input, output, "");
    }

    static Path yaml(Path dir, String input, String output, String extra) throws IOException {
        Path y = dir.resolve(output + ".yaml");
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
                """.formatted(input, output, extra));
        return y;
    }

    /** Every document of the shards, read back through the format-independent reader. */
    static List<Document> documents(List<Path> shards) {
        List<Document> out = new ArrayList<>();
        for (Path p : shards) {
            try (Stream<Document> docs = DocumentSource.open(p, ReaderConfig.DEFAULTS, r -> {
                throw new AssertionError("quarantined " + r);
            }, new CountingLedger("check")).documents()) {
                docs.forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void parquetOutputIsTheSameOnBothExecutors(@TempDir Path dir) throws IOException {
        inputs(dir);
        String parquetOut = "outputFormat: parquet\noutputCompression: zstd";
        PipelineResult embedded = PipelineRunner.run(yaml(dir, "parquet/*.parquet", "embedded", parquetOut), null);
        PipelineResult spark = SparkPipelineRunner.run(sc, yaml(dir, "parquet/*.parquet", "spark", parquetOut), null);
        assertEquals(embedded.stats(), spark.stats());
        assertTrue(spark.outputs().getFirst().getFileName().toString().endsWith(".parquet"), spark.outputs().toString());
        List<Document> kept = documents(embedded.outputs());
        assertEquals(embedded.stats("minhash_dedup").kept(), kept.size());
        assertEquals(kept, documents(spark.outputs()));
    }

    @Test
    void parquetOnSparkEqualsJsonlEmbedded(@TempDir Path dir) throws IOException {
        inputs(dir);
        PipelineResult embedded = PipelineRunner.run(yaml(dir, "jsonl/*.jsonl", "embedded"), null);
        PipelineResult spark = SparkPipelineRunner.run(sc, yaml(dir, "parquet/*.parquet", "spark"), null);
        assertEquals(embedded.stats(), spark.stats());
        assertTrue(spark.stats("read").input() > 300, spark.table());
        assertTrue(spark.stats("exact_dedup").removedTotal() > 0, spark.table());
        List<String> e = SparkExecutorTest.lines(dir.resolve("embedded"), "part-.*\\.jsonl");
        List<String> s = SparkExecutorTest.lines(dir.resolve("spark"), "part-.*\\.jsonl");
        assertEquals(e, s);
    }

    @Test
    void rowsWithoutTextAreQuarantinedOnBothExecutors(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("in"));
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        // Snappy, as Hugging Face's and Spark's Parquet files are
        try (ParquetWriter<Group> w = writer(dir.resolve("in/a.parquet"), CompressionCodecName.SNAPPY)) {
            w.write(groups.newGroup().append("id", "has-text").append("text", "hello world").append("category", "web"));
            w.write(groups.newGroup().append("id", "no-text").append("category", "web"));
        }
        Path y = dir.resolve("p.yaml");
        Files.writeString(y, "input: {paths: [in/*.parquet]}\noutput: out\nsteps:\n  - type: exact_dedup\n");
        PipelineResult r = SparkPipelineRunner.run(sc, y, null);
        assertEquals(2, r.stats("read").input());
        assertEquals(1, r.stats("read").kept());
        assertEquals(1L, r.stats("read").removed().get("missing_text"));
        List<String> kept = SparkExecutorTest.lines(dir.resolve("out"), "part-.*\\.jsonl");
        assertEquals(1, kept.size());
        assertTrue(kept.getFirst().contains("\"category\":\"web\""), kept.getFirst());
        List<String> quarantined = SparkExecutorTest.lines(dir.resolve("out/quarantine"), ".*\\.jsonl");
        assertEquals(1, quarantined.size());
        assertTrue(quarantined.getFirst().contains("a.parquet") && quarantined.getFirst().contains("missing_text"));

        Files.writeString(dir.resolve("e.yaml"), "input: {paths: [in/*.parquet]}\noutput: e\nsteps:\n  - type: exact_dedup\n");
        PipelineResult embedded = PipelineRunner.run(dir.resolve("e.yaml"), null);
        assertEquals(r.stats(), embedded.stats());
        assertEquals(kept, SparkExecutorTest.lines(dir.resolve("e"), "part-.*\\.jsonl"));
    }
}
