package org.llama3j.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the {@link Router} (a malformed request line,
 * headers over the size limit): an OpenAI error object instead of Jetty's HTML page, no stack traces.
 */
public final class JsonErrorHandler extends ErrorHandler {
    public JsonErrorHandler() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        ObjectNode err = Json.object();
        ObjectNode inner = err.putObject("error");
        String reason = message != null ? message : HttpStatus.getMessage(code);
        inner.put("message", "HTTP " + code + ": " + reason);
        inner.put("type", code >= 500 ? "server_error" : "invalid_request_error");
        inner.putNull("param");
        inner.putNull("code");
        byte[] bytes = Json.bytes(err);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
