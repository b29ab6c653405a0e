package org.llama3j.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.llama3j.server.http.Json;

/** Server-sent events as OpenAI streams them: {@code data: <json>\n\n} per chunk, then {@code data: [DONE]}. */
final class SseStream {
    private final OutputStream out;

    SseStream(OutputStream out) {
        this.out = out;
    }

    void send(JsonNode chunk) throws IOException {
        out.write("data: ".getBytes(StandardCharsets.UTF_8));
        out.write(Json.bytes(chunk));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void done() throws IOException {
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
