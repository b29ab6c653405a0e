package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CodeShieldCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new CodeShieldCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        // a generous budget so a loaded test machine cannot turn a slow scan into a fail-closed BLOCK
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--time-budget-ms";
        all[args.length + 1] = "10000";
        return cl.execute(all);
    }

    @Test
    void blockedFileExitsOneWithJsonFindings() throws Exception {
        Path f = dir.resolve("a.py");
        Files.writeString(f, "import os\nos.system('rm -rf ' + path)\n");
        assertEquals(1, run(f.toString(), "--format", "json"));
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertTrue(json.get("insecure").asBoolean());
        assertEquals("BLOCK", json.get("treatment").asText());
        assertEquals("python-os-system", json.get("findings").get(0).get("rule").asText());
        assertEquals(2, json.get("findings").get(0).get("line").asInt());
        assertEquals("CWE-78", json.get("findings").get(0).get("cwe").asText());
    }

    @Test
    void warningOnlyExitsZeroWithTextReport() throws Exception {
        Path f = dir.resolve("h.txt");
        Files.writeString(f, "h = hashlib.md5(data)\n");
        assertEquals(0, run(f.toString(), "--lang", "py"));
        assertTrue(out.toString().startsWith("WARN (python, 1 finding)"), out.toString());
        assertTrue(out.toString().contains(f + ":1:5: warning [python-weak-hash] CWE-328"), out.toString());
    }

    @Test
    void readsStandardInput() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("gets(buf);".getBytes(StandardCharsets.UTF_8)));
            assertEquals(1, run("-", "--lang", "c"));
            assertTrue(out.toString().contains("<stdin>:1:1: error [c-gets]"), out.toString());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void usageAndIoErrorsExitTwo() {
        assertEquals(2, run(dir.resolve("missing.py").toString()));
        assertTrue(err.toString().contains("cannot read"), err.toString());
        assertEquals(2, run("x.py", "--lang", "cobol"));
        assertTrue(err.toString().contains("unknown language 'cobol'"));
        assertEquals(2, run("x.py", "--format", "xml"));
        assertEquals(2, new CommandLine(new CodeShieldCommand()).setErr(new PrintWriter(err))
                .execute("x.py", "--time-budget-ms", "0"));
    }
}
