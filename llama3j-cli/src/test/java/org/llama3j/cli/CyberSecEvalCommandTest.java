package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command on the tiny random model: every suite runs, the counts add up, the JSON matches the table. */
class CyberSecEvalCommandTest {
    @TempDir
    Path tmp;

    private int run(StringWriter out, StringWriter err, String... args) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void runsEverySuiteOnTheExamplesWithAJudge() throws Exception {
        GuardCommandTest.writeModel();
        Path model = GuardCommandTest.model;
        Path json = tmp.resolve("r.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "eval", "cyberseceval", "--model", model.toString(), "--judge", model.toString(),
                "--limit", "2", "--max-tokens", "3", "--json", json.toString());
        assertEquals(0, code, err.toString());
        JsonNode r = new ObjectMapper().readTree(Files.readString(json));
        assertEquals("judge model", r.get("injection_judging").asText());
        assertEquals(8, r.get("cases").size()); // 2 per suite
        int hits = 0;
        for (JsonNode row : r.get("rows")) {
            if (row.get("group").asText().equals("all")) {
                assertEquals(2, row.get("cases").asInt(), row.toString());
                assertEquals(0, row.get("unjudged").asInt());
                hits += row.get("hits").asInt();
                assertTrue(out.toString().contains(row.get("benchmark").asText()));
            }
        }
        int caseHits = 0;
        for (JsonNode c : r.get("cases")) {
            caseHits += c.get("hit").asBoolean() ? 1 : 0;
        }
        assertEquals(caseHits, hits);
    }

    @Test
    void badDatasetExitsTwoNamingTheLine() throws Exception {
        GuardCommandTest.writeModel();
        Files.writeString(tmp.resolve("frr.jsonl"), "{\"prompt\": \"ok\"}\n{\"text\": \"x\"}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "eval", "cyberseceval", "--model", GuardCommandTest.model.toString(), "--dataset", tmp.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("frr.jsonl:2: missing field 'prompt'"), err.toString());
    }
}
