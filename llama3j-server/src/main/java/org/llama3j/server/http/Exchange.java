package org.llama3j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/** One HTTP request and its response, with blocking helpers for the endpoints. */
public final class Exchange {
    private final Request request;
    private final Response response;
    private final int maxBodyBytes;
    private OutputStream out;
    private int status = 200;
    private boolean heartbeating;

    Exchange(Request request, Response response, int maxBodyBytes) {
        this.request = request;
        this.response = response;
        this.maxBodyBytes = maxBodyBytes;
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return Request.getPathInContext(request);
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    public String query(String name) {
        return Request.extractQueryParameters(request).getValue(name);
    }

    /**
     * How much of an over-limit body is read and discarded before the 413 is sent. A client that is
     * still sending when the server answers and closes sees a reset instead of the 413 (Java's
     * HttpClient: "header parser received no bytes"), so bodies up to this size are drained first,
     * as nginx's lingering close does; larger ones are cut off (the connection closes).
     */
    static final long DRAIN_LIMIT = 16L << 20;

    /**
     * The request body, at most the configured size.
     *
     * @throws ApiException 413 when it is larger
     */
    public byte[] body() throws IOException {
        long declared = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared > maxBodyBytes) {
                if (declared <= DRAIN_LIMIT) {
                    drain(in, DRAIN_LIMIT);
                }
                throw tooLarge(declared);
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[16384];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (buf.size() + n > maxBodyBytes) {
                    drain(in, DRAIN_LIMIT - buf.size() - n);
                    throw tooLarge(-1);
                }
                buf.write(chunk, 0, n);
            }
            return buf.toByteArray();
        }
    }

    /** Reads and discards at most {@code limit} more bytes of the body. */
    private static void drain(InputStream in, long limit) throws IOException {
        byte[] sink = new byte[16384];
        long left = limit;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    private ApiException tooLarge(long declared) {
        return ApiException.tooLarge("the request body " + (declared >= 0 ? "of " + declared + " bytes " : "")
                + "exceeds the limit of " + maxBodyBytes + " bytes");
    }

    /** The body as a JSON object (400 when it is not one, 413 when too large). */
    public ObjectNode jsonBody() throws IOException {
        return Json.parseObject(body());
    }

    public int status() {
        return status;
    }

    public boolean committed() {
        return response.isCommitted();
    }

    public void json(int status, JsonNode body) throws IOException {
        send(status, "application/json", Json.bytes(body));
    }

    public void text(int status, String contentType, String body) throws IOException {
        send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private void send(int status, String contentType, byte[] bytes) throws IOException {
        if (heartbeating) {
            output().write(bytes); // status and headers went out with the first heartbeat
            return;
        }
        this.status = status;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        output().write(bytes);
    }

    public void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** Starts a streamed 200 response (chunked); write events to the returned stream, flushing each. */
    public OutputStream startStream(String contentType) {
        status = 200;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        return output();
    }

    /**
     * Keeps a blocking JSON answer's connection checked while the model works: sends a 200 with
     * JSON headers at the first call, then one space each time (JSON allows leading whitespace).
     * A client that went away makes this write fail, so the caller can cancel its generation;
     * without a write Jetty would not notice the closed connection until the answer is complete.
     */
    public void heartbeat(String contentType) throws IOException {
        if (!heartbeating) {
            heartbeating = true;
            status = 200;
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        OutputStream o = output();
        o.write(' ');
        o.flush();
    }

    /** Whether a heartbeat committed the response (an error must then go into the body). */
    public boolean heartbeating() {
        return heartbeating;
    }

    /** Runs {@code action} when Jetty notices the connection failed (client gone, idle timeout). */
    public void onFailure(Runnable action) {
        request.addFailureListener(t -> action.run());
    }

    private OutputStream output() {
        if (out == null) {
            out = Content.Sink.asOutputStream(response);
        }
        return out;
    }

    /** Writes an OpenAI error object, if nothing was sent yet. */
    void error(ApiException e) throws IOException {
        ObjectNode err = Json.object();
        if (path().startsWith("/api/")) { // Ollama's clients read {"error": "message"}
            err.put("error", e.getMessage());
            json(e.status(), err);
            return;
        }
        ObjectNode inner = err.putObject("error");
        inner.put("message", e.getMessage());
        inner.put("type", e.type());
        inner.put("param", e.param());
        inner.put("code", e.code());
        if (e.status() == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        json(e.status(), err);
    }

    void finish() throws IOException {
        output().close();
    }
}
