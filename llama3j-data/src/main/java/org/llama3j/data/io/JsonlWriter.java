package org.llama3j.data.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llama3j.data.Document;

/** Writes JSON objects one per line (gzip/zstd by extension); documents as {@code {"id","text","metadata"}}. */
public final class JsonlWriter implements DocumentWriter {

    private final Path file;
    private final Writer out;

    public JsonlWriter(Path file) {
        this.file = file;
        try {
            this.out = new BufferedWriter(new OutputStreamWriter(Compression.openOutput(file), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /** The document's JSON line. */
    @Override
    public Object encode(Document doc) {
        return json(doc);
    }

    @Override
    public void writeEncoded(Object encoded) {
        writeLine((String) encoded);
    }

    public void writeObject(Object value) {
        writeLine(json(value));
    }

    /** Writes one line of JSON produced by {@link #json} (executors serialize on worker threads, write in order). */
    public void writeLine(String json) {
        try {
            out.write(json);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    /** A document as its output line: {@code {"id","text","metadata"}}, metadata only when present. */
    public static String json(Document doc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", doc.id());
        m.put("text", doc.text());
        if (!doc.metadata().isEmpty()) {
            m.put("metadata", doc.metadata());
        }
        return json(m);
    }

    public static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + file + " failed", e);
        }
    }
}
