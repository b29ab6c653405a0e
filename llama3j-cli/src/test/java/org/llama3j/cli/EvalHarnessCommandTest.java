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

/** {@code llama3j eval --task}: wiring on the bundled model; a bad task line exits 2 naming file and line. */
class EvalHarnessCommandTest {
    @TempDir
    Path tmp;

    private int run(StringWriter out, StringWriter err, String... args) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void runsTasksAndWritesJsonResults() throws Exception {
        Path mc = tmp.resolve("mc.jsonl");
        Files.writeString(mc, """
                {"type":"multiple_choice","context":"The jury said","choices":["that","zebra"],"answer":0,"fewshot":true}
                {"type":"multiple_choice","context":"It was one of the","choices":["best","Moynihan"],"answer":0}
                {"type":"multiple_choice","context":"He said that he","choices":["Furiouser","would"],"answer":1}
                """);
        Path gen = tmp.resolve("gen.jsonl");
        Files.writeString(gen, """
                {"type":"generation","prompt":"The man","target":" said","fewshot":true}
                {"type":"generation","prompt":"The jury","regex":"\\\\w","max_tokens":3}
                """);
        Path json = tmp.resolve("results.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "eval", "--model", DefaultModelTest.MODEL.toString(), "--task", mc.toString(),
                "--task", gen.toString(), "--shots", "1", "--out", json.toString());
        assertEquals(0, code, err.toString());
        JsonNode r = new ObjectMapper().readTree(Files.readString(json)).get("results");
        assertEquals(2, r.get("mc").get("items").asInt());
        assertEquals(1, r.get("mc").get("shots").asInt());
        double acc = r.get("mc").get("metrics").get("acc").asDouble();
        assertEquals(1.0, acc, "common words beat rare ones for the trained default model: " + r);
        assertEquals(1, r.get("gen").get("samples").size());
        assertTrue(out.toString().contains("| mc | multiple_choice | 2 | 1 | acc | 1.0000 |"), out.toString());
    }

    @Test
    void badTaskLineExitsTwoNamingTheLine() throws Exception {
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"type\":\"perplexity\",\"text\":\"ok\"}\n{\"type\":\"perplexity\"}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "eval", "--model", DefaultModelTest.MODEL.toString(), "--task", bad.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains(bad + ":2: missing \"text\""), err.toString());
    }
}
