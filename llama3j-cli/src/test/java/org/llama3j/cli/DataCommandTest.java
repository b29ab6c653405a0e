package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {

    @Test
    void runExecutesThePipelineAndReportsConfigErrors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("in.jsonl"), "{\"id\":\"a\",\"text\":\"hello world\"}\n{\"id\":\"b\",\"text\":\"hello world\"}\n");
        Path yaml = dir.resolve("p.yaml");
        Files.writeString(yaml, "input: {paths: in.jsonl}\noutput: out\nthreads: 1\nsteps:\n  - type: exact_dedup\n");
        assertEquals(0, new CommandLine(new DataCommand()).execute("run", yaml.toString()));
        assertEquals(1, Files.readAllLines(dir.resolve("out/part-00000.jsonl")).size());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "input: {paths: in.jsonl}\noutput: out2\nsteps:\n  - type: nope\n");
        assertEquals(2, new CommandLine(new DataCommand()).execute("run", bad.toString()));
        assertTrue(Files.notExists(dir.resolve("out2")));
    }

    @Test
    void trainClassifierWritesAModelAndReportsHeldOutAuc(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            boolean ham = i % 2 == 0;
            String text = ham ? "meeting notes for the build patch review number " + i
                    : "buy cheap pills now click here free offer " + i;
            sb.append("{\"text\":\"").append(text).append("\",\"label\":\"").append(ham ? "ham" : "spam").append("\"}\n");
        }
        Files.writeString(dir.resolve("l.jsonl"), sb.toString());
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new DataCommand()).execute("train-classifier", "--input", dir.resolve("l.jsonl").toString(),
                    "--positive", "ham", "--buckets", "4096", "--out", dir.resolve("m.bin").toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        assertTrue(Files.size(dir.resolve("m.bin")) > 4096, "model written");
        // perfectly separable vocabularies: the held-out AUC must be 1
        assertTrue(buf.toString(java.nio.charset.StandardCharsets.UTF_8).contains("AUC 1.0000"), buf.toString());
        assertEquals(1, new CommandLine(new DataCommand()).execute("train-classifier", "--input",
                dir.resolve("missing.jsonl").toString(), "--out", dir.resolve("x.bin").toString()));
    }

    @Test
    void labelWritesTheJudgesLabelsAndRejectsABadLineWithoutOutput(@TempDir Path dir) throws Exception {
        Path model = DefaultModelTest.MODEL;
        Path in = dir.resolve("docs.jsonl");
        Files.writeString(in, "{\"id\":\"a\",\"text\":\"The jury said the city was well run.\"}\n"
                + "{\"id\":\"b\",\"text\":\"buy buy buy click here\"}\n");
        Path out = dir.resolve("labelled.jsonl");
        CliTest.Run r = CliTest.run("data", "label", "--model", model.toString(), "--input", in.toString(),
                "--out", out.toString(), "--threshold", "0.5");
        assertEquals(0, r.code(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        for (String line : lines) {
            var o = json.readTree(line);
            double p = o.get("judge_score").asDouble();
            assertTrue(p > 0 && p < 1, line);
            assertEquals(p >= 0.5 ? "positive" : "negative", o.get("label").asText(), line);
        }
        assertEquals("a", json.readTree(lines.get(0)).get("id").asText());

        Files.writeString(in, "{\"text\":\"fine\"}\n{\"body\":\"no text field\"}\n");
        Path out2 = dir.resolve("l2.jsonl");
        CliTest.Run bad = CliTest.run("data", "label", "--model", model.toString(), "--input", in.toString(),
                "--out", out2.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("input line 2"), bad.err());
        assertTrue(Files.notExists(out2) && Files.notExists(dir.resolve("l2.jsonl.tmp")), "nothing half-written");
    }
}
