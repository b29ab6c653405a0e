package org.llama3j.train.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON-lines training log: one object per line — {@code "type":"step"} per optimizer step,
 * {@code "eval"}, {@code "checkpoint"}, {@code "fault"}, {@code "rollback"}, {@code "warning"}.
 * Appends, so a resumed run continues the same file. Each line is flushed. A process killed in the
 * middle of a line leaves a torn last line; opening the log cuts it off, so every line stays JSON.
 */
final class TrainingLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    TrainingLog(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        dropTornLastLine(file);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Truncates the file after its last newline (a line without one was cut short by a crash). */
    static void dropTornLastLine(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = ch.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                ch.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < ch.size()) {
                ch.truncate(end);
            }
        }
    }

    /** Writes {@code type} then alternating key/value pairs. */
    void write(String type, Object... keyValues) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            if (v instanceof Float f && !Float.isFinite(f)) {
                v = f.toString();
            } else if (v instanceof Double d && !Double.isFinite(d)) {
                v = d.toString();
            }
            line.put((String) keyValues[i], v);
        }
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log", e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
