package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kv-type} reaches the model: generate and bench run with an F16 cache; bad values are refused. */
class KvTypeOptionTest {
    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void makeModel() {
        model = tmp.resolve("tiny.gguf");
        CliTest.Run r = CliTest.run("random-model", "--vocab", CliTest.VOCAB.toString(), "--out", model.toString(), "--seed", "5");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void generateAndBenchAcceptF16() throws Exception {
        CliTest.Run g = CliTest.run("generate", "--model", model.toString(), "--prompt", "Hello", "-n", "4",
                "--temperature", "0", "--kv-type", "f16", "--format", "json");
        assertEquals(0, g.code(), g.err());
        var o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(g.out());
        assertTrue(o.get("tokens").size() == 4 || o.get("finish_reason").asText().equals("stop"), g.out());
        // f32 is the default: naming it changes nothing
        CliTest.Run a = CliTest.run("generate", "--model", model.toString(), "--prompt", "Hello", "-n", "4",
                "--temperature", "0", "--format", "json");
        CliTest.Run b = CliTest.run("generate", "--model", model.toString(), "--prompt", "Hello", "-n", "4",
                "--temperature", "0", "--kv-type", "f32", "--format", "json");
        assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.out()).get("tokens"),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(b.out()).get("tokens"));
        CliTest.Run bench = CliTest.run("bench", "--model", model.toString(), "-p", "4", "-n", "2", "-r", "1",
                "--kv-type", "f16", "--format", "json");
        assertEquals(0, bench.code(), bench.err());
        assertTrue(bench.out().contains("\"tg\":2"), bench.out());
    }

    @Test
    void unknownKvTypeIsAUsageError() {
        CliTest.Run r = CliTest.run("generate", "--model", model.toString(), "--prompt", "x", "--kv-type", "q4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--kv-type"), r.err());
    }
}
