package org.llama3j.server.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import org.llama3j.server.http.Json;

/** Newline-delimited JSON, Ollama's streaming format: one object per line, flushed. */
final class NdjsonStream {
    private final OutputStream out;

    NdjsonStream(OutputStream out) {
        this.out = out;
    }

    void send(JsonNode o) throws IOException {
        out.write(Json.bytes(o));
        out.write('\n');
        out.flush();
    }
}
