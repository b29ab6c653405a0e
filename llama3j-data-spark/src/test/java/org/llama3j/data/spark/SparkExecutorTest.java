package org.llama3j.data.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.exec.PipelineResult;
import org.llama3j.data.step.StepStats;

/** The Spark executor and the embedded executor, on the same input and pipeline, produce the same files and stats. */
class SparkExecutorTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("llama3j-data-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.default.parallelism", "2"));
        sc.setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static final String[] VOCAB = ("the of and to that with have be river mountain village library garden "
            + "teacher student market history science summer winter morning evening window kitchen bridge harbor "
            + "journey lantern orchard meadow painter musician ancient careful gentle quiet bright narrow").split(" ");

    static String prose(Random r, int sentences) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            for (int w = 0; w < 10; w++) {
                String word = VOCAB[r.nextInt(VOCAB.length)];
                sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                sb.append(w == 9 ? "." : " ");
            }
            sb.append(s % 3 == 2 ? "\\n" : " ");
        }
        return sb.toString().strip();
    }

    static String json(String id, String text, String url, String date, String category) {
        return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"url\":\"" + url + "\",\"date\":\"" + date
                + "\",\"category\":\"" + category + "\"}";
    }

    /**
     * 4 shards x 90 lines: prose, short junk, exact and near duplicates of earlier documents, re-crawled URLs with
     * newer dates, a boilerplate line shared by many documents, and broken JSON.
     */
    static List<Path> corpus(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(42);
        List<String> earlier = new ArrayList<>();
        List<Path> out = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                String id = "f" + f + "-" + i;
                String url = "https://site" + (i % 40) + ".example/page" + f + "-" + i;
                String date = "2024-0" + (1 + f) + "-1" + (i % 10);
                String cat = i % 4 == 0 ? "code" : "web";
                if (i % 15 == 4) {
                    lines.add(json(id, "too short", url, date, cat));
                } else if (i % 15 == 7 && !earlier.isEmpty()) {
                    lines.add(json(id, earlier.get((i * 7 + f) % earlier.size()), url, date, cat));
                } else if (i % 15 == 9 && !earlier.isEmpty()) {
                    lines.add(json(id, earlier.get((i * 3 + f) % earlier.size()) + " One more closing sentence here.",
                            url, date, cat));
                } else if (i % 15 == 11 && f > 0) {
                    // the same page crawled again later, with new text
                    lines.add(json(id, prose(r, 8), "https://site" + (i % 40) + ".example/page0-" + i, date, cat));
                } else if (i % 31 == 13) {
                    lines.add("{\"id\":\"" + id + "\", broken");
                } else {
                    String t = prose(r, 8);
                    if (i % 3 == 0) {
                        t = t + "\\nAccept all cookies to continue browsing this site.";
                    }
                    earlier.add(t);
                    lines.add(json(id, t, url, date, cat));
                }
            }
            Path p = dir.resolve(String.format("shard-%02d.jsonl", f));
            Files.write(p, lines, StandardCharsets.UTF_8);
            out.add(p);
        }
        return out;
    }

    static Path yaml(Path dir, String output) throws IOException {
        Path y = dir.resolve(output + ".yaml");
        Files.writeString(y, """
                input:
                  paths: [in/*.jsonl]
                output: %s
                threads: 2
                steps:
                  - type: gopher_quality
                  - type: language_id
                  - type: url_dedup
                  - type: exact_dedup
                  - type: line_dedup
                  - type: minhash_dedup
                  - type: mix
                    targets: {web: 0.7, code: 0.3}
                    seed: 7
                """.formatted(output));
        return y;
    }

    static List<String> lines(Path dir, String glob) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().matches(glob)).sorted().toList()) {
                out.addAll(Files.readAllLines(p));
            }
        }
        return out;
    }

    @Test
    void sparkMatchesEmbeddedDocumentForDocument(@TempDir Path dir) throws IOException {
        corpus(dir.resolve("in"));
        PipelineResult embedded = PipelineRunner.run(yaml(dir, "embedded"), null);
        PipelineResult spark = SparkPipelineRunner.run(sc, yaml(dir, "spark"), null);

        assertEquals(embedded.stats(), spark.stats());
        assertEquals(360, spark.stats("read").input());
        assertTrue(spark.stats().stream().allMatch(StepStats::balanced));
        // every dedup kind actually fired, so the comparison covers each Spark decide path
        assertTrue(spark.stats("url_dedup").removed().getOrDefault("url_duplicate", 0L) >= 10, spark.table());
        assertTrue(spark.stats("exact_dedup").removed().getOrDefault("exact_duplicate", 0L) >= 15, spark.table());
        assertTrue(spark.stats("minhash_dedup").removed().getOrDefault("near_duplicate", 0L) >= 15, spark.table());
        assertTrue(spark.stats("mix").removed().getOrDefault("not_sampled", 0L) > 0, spark.table());
        // the language model is a transient field loaded on the workers after deserialization
        assertTrue(lines(dir.resolve("spark"), "part-.*\\.jsonl").stream().allMatch(l -> l.contains("\"language\":\"en\"")));

        for (int t = 0; t < 4; t++) {
            String part = String.format("part-%05d\\.jsonl", t);
            List<String> e = lines(dir.resolve("embedded"), part);
            List<String> s = lines(dir.resolve("spark"), part);
            assertEquals(e, s, "output shard " + t);
        }
        long written = lines(dir.resolve("spark"), "part-.*\\.jsonl").size();
        assertEquals(spark.stats("mix").kept(), written);
        assertTrue(lines(dir.resolve("spark"), "part-.*\\.jsonl").stream().noneMatch(l -> l.contains("Accept all cookies")),
                "line_dedup removed the boilerplate line");
        assertEquals(lines(dir.resolve("embedded/quarantine"), ".*\\.jsonl"), lines(dir.resolve("spark/quarantine"), ".*\\.jsonl"));
        List<String> er = lines(dir.resolve("embedded/removals"), ".*\\.jsonl");
        List<String> sr = lines(dir.resolve("spark/removals"), ".*\\.jsonl");
        er.sort(null);
        sr.sort(null);
        assertEquals(er, sr);
        assertEquals(Files.readString(dir.resolve("embedded/stats.json")), Files.readString(dir.resolve("spark/stats.json")));
    }
}
