package org.llama3j.posttrain.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON-lines file record by record: blank lines are ignored, every other line must be one
 * JSON object; a line that is not, or that {@code parser} refuses, becomes a {@link RecordIssue}
 * with its 1-based line number instead of stopping the read.
 */
public final class JsonlRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses one record; throws {@link RecordProblem} (via the helpers here) when it is malformed. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(JsonNode record, int line);
    }

    private JsonlRecords() {
    }

    public static <T> Validated<T> read(Path file, Parser<T> parser) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString(), parser);
        }
    }

    public static <T> Validated<T> read(BufferedReader in, String source, Parser<T> parser) throws IOException {
        List<T> records = new ArrayList<>();
        List<RecordIssue> issues = new ArrayList<>();
        String text;
        int line = 0;
        while ((text = in.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(text);
                if (node == null || !node.isObject()) {
                    throw new RecordProblem("not a JSON object");
                }
                records.add(parser.parse(node, line));
            } catch (JsonProcessingException e) {
                issues.add(new RecordIssue(source, line, "invalid JSON: " + e.getOriginalMessage()));
            } catch (RecordProblem e) {
                issues.add(new RecordIssue(source, line, e.getMessage()));
            }
        }
        return new Validated<>(records, issues);
    }

    /** A required non-empty string field. */
    static String requiredText(JsonNode record, String field) {
        JsonNode v = record.get(field);
        if (v == null || v.isNull()) {
            throw new RecordProblem("missing field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new RecordProblem("field '" + field + "' must be a string");
        }
        if (v.asText().isBlank()) {
            throw new RecordProblem("field '" + field + "' is empty");
        }
        return v.asText();
    }

    /** An optional string field ("" when absent). */
    static String optionalText(JsonNode record, String field) {
        JsonNode v = record.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new RecordProblem("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    static RecordProblem problem(String message) {
        return new RecordProblem(message);
    }
}
