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
        assertEquals(1, new CommandLine(new DataCommand()).execute("run", bad.toString()));
        assertTrue(Files.notExists(dir.resolve("out2")));
    }
}
