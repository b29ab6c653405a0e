package org.llama3j.posttrain.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON-lines log of a post-training run, in the pretraining log's shape ({@code "type":"step"}
 * with {@code step} and {@code loss}, {@code "eval"}, …) so {@code LossCurvePlot} draws it. Appends.
 */
public final class JsonLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    public JsonLog(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    public void write(String type, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        fields.forEach((k, v) -> line.put(k, v instanceof Double d && !Double.isFinite(d) ? d.toString() : v));
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run log", e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
