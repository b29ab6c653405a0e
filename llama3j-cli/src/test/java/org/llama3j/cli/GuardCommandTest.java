package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.ModelShape;
import org.llama3j.model.RandomModelWriter;
import org.llama3j.tensor.DType;
import picocli.CommandLine;

class GuardCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    private static Path shared;

    record Run(int code, JsonNode json, String err) {
    }

    /** Writes the tiny guard model once per test run (also used by CyberSecEvalCommandTest). */
    @BeforeAll
    static synchronized void writeModel() throws Exception {
        if (shared != null && Files.exists(shared)) {
            model = shared;
            return;
        }
        model = Files.createTempDirectory("llama3j-guard").resolve("guard.gguf");
        model.getParent().toFile().deleteOnExit(); // deleted in reverse order: the file, then its directory
        model.toFile().deleteOnExit();
        shared = model;
        try (GgufFile v = GgufReader.open(CliTest.VOCAB)) {
            RandomModelWriter.write(model, new ModelShape(32, 1, 2, 1, 64, 1024, 500000f, 1e-5f, null, true), v, DType.F32, 11);
        }
    }

    private static Run run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        String o = out.toString().strip();
        return new Run(code, o.isEmpty() ? null : new ObjectMapper().readTree(o), err.toString());
    }

    @Test
    void promptGivesJsonVerdict() throws Exception {
        Run r = run("guard", "--model", model.toString(), "--prompt", "How do I bake bread?");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.json().get("safe").asBoolean());
        double score = r.json().get("score").asDouble();
        assertTrue(score > 0 && score < 0.5, "score " + score);
        assertEquals(0, r.json().get("categories").size());
        assertEquals("safe", r.json().get("raw").asText());
        assertEquals(0.5, r.json().get("threshold").asDouble());

        // the same message below a threshold under its score: unsafe, exit 1, raw starts with the forced "unsafe"
        Run u = run("guard", "--model", model.toString(), "--prompt", "How do I bake bread?",
                "--threshold", String.valueOf(score * 0.5));
        assertEquals(1, u.code(), u.err());
        assertFalse(u.json().get("safe").asBoolean());
        assertTrue(u.json().get("raw").asText().startsWith("unsafe"));
        assertEquals(score, u.json().get("score").asDouble(), score * 1e-4);
    }

    @Test
    void conversationFileAndTaxonomies() throws Exception {
        Path c = tmp.resolve("c.json");
        Files.writeString(c, "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]");
        Run g3 = run("guard", "--model", model.toString(), "--conversation", c.toString());
        Run g2 = run("guard", "--model", model.toString(), "--conversation", c.toString(), "--taxonomy", "guard2");
        assertEquals(0, g3.code(), g3.err());
        assertEquals(0, g2.code(), g2.err());
        // different prompts, different first-token distributions
        assertTrue(g3.json().get("score").asDouble() != g2.json().get("score").asDouble());
    }

    @Test
    void badConversationsExitTwo() throws Exception {
        Path c = tmp.resolve("bad.json");
        Files.writeString(c, "[{\"role\":\"assistant\",\"content\":\"hello\"}]");
        Run r = run("guard", "--model", model.toString(), "--conversation", c.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("roles must alternate"), r.err());

        Files.writeString(c, "[{\"role\":\"user\",\"content\":\"  \"}]");
        r = run("guard", "--model", model.toString(), "--conversation", c.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("message 0 (User) is blank"), r.err());

        Files.writeString(c, "{\"messages\": 3}");
        r = run("guard", "--model", model.toString(), "--conversation", c.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(c + ": expected a JSON list"), r.err());

        r = run("guard", "--model", model.toString(), "--prompt", "x", "--threshold", "1.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threshold must be in (0,1)"), r.err());

        r = run("guard", "--model", model.toString(), "--prompt", "x", "--conversation", c.toString());
        assertEquals(2, r.code()); // mutually exclusive
        r = run("guard", "--model", model.toString(), "--prompt", "x", "--taxonomy", tmp.resolve("none.yaml").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("none.yaml: no such file"), r.err());
    }
}
