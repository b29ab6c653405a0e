package org.llama3j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small JSON-over-HTTP client for the tests (the JDK's HttpClient, HTTP/1.1, loopback only). */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String apiKey;

    Http(URI base) {
        this(base, null);
    }

    Http(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    record Reply(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply post(String path, String body) {
        return postBytes(path, body.getBytes(StandardCharsets.UTF_8));
    }

    Reply post(String path, JsonNode body) {
        return post(path, body.toString());
    }

    Reply postBytes(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    Reply send(HttpRequest r) {
        try {
            HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(resp.statusCode(), resp.body(), resp.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a streamed POST; the caller reads lines and closes the stream (closing early = disconnect). */
    HttpResponse<InputStream> open(String path, JsonNode body) {
        try {
            return client.send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON payloads of an SSE stream up to {@code data: [DONE]} (which must come last). */
    List<JsonNode> sse(String path, JsonNode body) {
        HttpResponse<InputStream> resp = open(path, body);
        if (resp.statusCode() != 200) {
            throw new AssertionError("status " + resp.statusCode());
        }
        List<JsonNode> events = new ArrayList<>();
        boolean done = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                if (!line.startsWith("data: ")) {
                    throw new AssertionError("not an SSE data line: " + line);
                }
                if (done) {
                    throw new AssertionError("data after [DONE]: " + line);
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                } else {
                    events.add(JSON.readTree(data));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!done) {
            throw new AssertionError("stream ended without data: [DONE]");
        }
        return events;
    }

    /** The objects of an NDJSON stream. */
    List<JsonNode> ndjson(String path, JsonNode body) {
        HttpResponse<InputStream> resp = open(path, body);
        if (resp.statusCode() != 200) {
            throw new AssertionError("status " + resp.statusCode());
        }
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static com.fasterxml.jackson.databind.node.ObjectNode obj() {
        return JSON.createObjectNode();
    }

    /** A chat request with one user message. */
    static com.fasterxml.jackson.databind.node.ObjectNode chat(String model, String user) {
        var o = obj();
        o.put("model", model);
        o.putArray("messages").addObject().put("role", "user").put("content", user);
        return o;
    }
}
