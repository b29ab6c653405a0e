package org.llama3j.data.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llama3j.data.io.Json;

/**
 * Writes one demo source as pipeline input: JSONL of {@code {id, text, category, source, ...}}, to a
 * temp file renamed into place on {@link #close}, so an interrupted fetch never leaves half a source.
 */
final class CorpusWriter implements AutoCloseable {
    private final Path out;
    private final Path tmp;
    private final BufferedWriter w;
    private final String category;
    private final String source;
    private int documents;
    private long chars;

    /** @param source the {@code source} tag of every document, or null when each {@link #write} gives its own */
    CorpusWriter(Path out, String category, String source) {
        this.out = out;
        this.category = category;
        this.source = source;
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            this.tmp = out.resolveSibling(out.getFileName() + ".tmp");
            this.w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DemoCorpusException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    void write(String id, String text, Map<String, String> extra) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("text", text);
        o.put("category", category);
        if (source != null) {
            o.put("source", source);
        }
        o.putAll(extra);
        try {
            w.write(Json.MAPPER.writeValueAsString(o));
            w.write('\n');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new DemoCorpusException("cannot write " + tmp + ": " + e.getMessage(), e);
        }
        documents++;
        chars += text.length();
    }

    int documents() {
        return documents;
    }

    long chars() {
        return chars;
    }

    @Override
    public void close() {
        try {
            w.close();
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DemoCorpusException("cannot finish " + out + ": " + e.getMessage(), e);
        }
    }
}
