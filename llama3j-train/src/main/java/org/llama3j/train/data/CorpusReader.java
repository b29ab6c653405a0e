package org.llama3j.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads documents from corpus files: {@code .jsonl} files hold one JSON object per line whose
 * {@code "text"} string is a document (the layout of most public pretraining dumps); any other
 * file is UTF-8 text, one document per file, or several when a separator is given.
 */
public final class CorpusReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CorpusReader() {
    }

    /**
     * @param separator splits a text file into documents (e.g. {@code "\n\n\n"}); null = whole file
     */
    public static void documents(Path file, String separator, Consumer<String> sink) throws IOException {
        if (file.getFileName().toString().endsWith(".jsonl")) {
            readJsonl(file, sink);
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (separator == null || separator.isEmpty()) {
            if (!text.isEmpty()) {
                sink.accept(text);
            }
            return;
        }
        int from = 0;
        while (from <= text.length()) {
            int at = text.indexOf(separator, from);
            int end = at < 0 ? text.length() : at;
            String doc = text.substring(from, end);
            if (!doc.isBlank()) {
                sink.accept(doc);
            }
            if (at < 0) {
                break;
            }
            from = at + separator.length();
        }
    }

    private static void readJsonl(Path file, Consumer<String> sink) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IOException(file + " line " + lineNo + ": not valid JSON: " + e.getMessage(), e);
                }
                JsonNode text = node == null ? null : node.get("text");
                if (text == null || !text.isTextual()) {
                    throw new IOException(file + " line " + lineNo + ": expected an object with a string field \"text\"");
                }
                if (!text.asText().isEmpty()) {
                    sink.accept(text.asText());
                }
            }
        }
    }
}
