package org.llama3j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.llama3j.server.http.ApiException;
import org.llama3j.server.http.Exchange;
import org.llama3j.server.http.Fields;
import org.llama3j.server.http.Json;
import org.llama3j.tokenizer.Tokenizer;

/** /health, /metrics, /tokenize and /detokenize (llama.cpp server's shapes). */
final class SystemEndpoints {
    private final ModelHost host;
    private final ServerMetrics metrics;

    SystemEndpoints(ModelHost host, ServerMetrics metrics) {
        this.host = host;
        this.metrics = metrics;
    }

    /** The chat page ({@code GET /}): a static file that talks to /v1/chat/completions with streaming. */
    void chatPage(Exchange ex) throws IOException {
        try (var in = SystemEndpoints.class.getResourceAsStream("chat.html")) {
            if (in == null) {
                throw new IllegalStateException("chat.html missing from the jar");
            }
            ex.header("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
            ex.text(200, "text/html; charset=utf-8", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    void health(Exchange ex) throws IOException {
        ObjectNode body = Json.object();
        if (host.current() != null) {
            body.put("status", "ok");
            ex.json(200, body);
        } else if (host.failure() != null) {
            body.put("status", "error");
            body.put("message", "the model failed to load: " + host.failure().getMessage());
            ex.json(503, body);
        } else {
            body.put("status", "loading");
            ex.json(503, body);
        }
    }

    void metrics(Exchange ex) throws IOException {
        ServedModel m = host.current();
        ex.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(m == null ? null : m.scheduler()));
    }

    void tokenize(Exchange ex) throws IOException {
        Fields f = new Fields(ex.jsonBody());
        ServedModel m = host.ready();
        String content = f.requireString("content");
        boolean special = f.bool("add_special", false);
        boolean pieces = f.bool("with_pieces", false);
        Tokenizer tok = m.llama().tokenizer();
        int[] ids = tok.encode(content, special && m.llama().bos() >= 0, false);
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray("tokens");
        for (int id : ids) {
            if (pieces) {
                arr.addObject().put("id", id).put("piece", m.tokenText(id));
            } else {
                arr.add(id);
            }
        }
        ex.json(200, out);
    }

    void detokenize(Exchange ex) throws IOException {
        Fields f = new Fields(ex.jsonBody());
        ServedModel m = host.ready();
        List<JsonNode> tokens = f.array("tokens");
        if (tokens == null) {
            throw ApiException.badRequest("'tokens' is required (an array of token ids)", "tokens");
        }
        int vocab = m.llama().tokenizer().vocabularySize();
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = tokens.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0 || t.intValue() >= vocab) {
                throw ApiException.badRequest("'tokens[" + i + "]' must be a token id in 0.." + (vocab - 1) + ", got "
                        + t, "tokens");
            }
            ids[i] = t.intValue();
        }
        ObjectNode out = Json.object();
        out.put("content", m.llama().tokenizer().decode(ids));
        ex.json(200, out);
    }
}
