package org.llama3j.eval.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped task files are exactly what {@link DemoTasks} builds from the held-out text, and they parse. */
class DemoTasksTest {
    static final Path SHIPPED = Path.of("tasks");

    @Test
    void shippedTasksAreReproducibleAndValid(@TempDir Path dir) throws Exception {
        DemoTasks.writeAll(Path.of("..", "models", "llama3j-default-heldout.txt"), dir, 0);
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                assertEquals(Files.readString(f), Files.readString(SHIPPED.resolve(f.getFileName())), f.getFileName()
                        + " drifted: rerun DemoTasks (see README)");
                Task t = TaskFile.read(f);
                int expected = switch (t.type()) {
                    case "perplexity" -> 40;
                    case "preference" -> 20;
                    default -> t.name().startsWith("demo-cloze") ? 200 : 100;
                };
                assertEquals(expected, t.items().size(), f.toString());
            }
        }
    }
}
