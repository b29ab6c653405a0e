package org.llama3j.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log torn by a killed process (last line without its newline) is repaired when reopened. */
class TrainingLogTest {

    @TempDir
    Path dir;

    @Test
    void reopeningDropsATornLastLineAndAppends() throws IOException {
        Path file = dir.resolve("train-log.jsonl");
        Files.writeString(file, "{\"type\":\"step\",\"step\":1}\n{\"type\":\"step\",\"st");
        try (TrainingLog log = new TrainingLog(file)) {
            log.write("step", "step", 2);
        }
        assertEquals(List.of("{\"type\":\"step\",\"step\":1}", "{\"type\":\"step\",\"step\":2}"),
                Files.readAllLines(file));
    }

    @Test
    void aCompleteOrEmptyLogIsLeftAsItIs() throws IOException {
        Path file = dir.resolve("a.jsonl");
        Files.writeString(file, "{\"type\":\"eval\"}\n");
        TrainingLog.dropTornLastLine(file);
        assertEquals("{\"type\":\"eval\"}\n", Files.readString(file));
        Path empty = dir.resolve("b.jsonl");
        Files.writeString(empty, "torn");
        TrainingLog.dropTornLastLine(empty);
        assertEquals("", Files.readString(empty));
    }
}
