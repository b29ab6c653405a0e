package org.llama3j.server.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Dispatches requests by method and exact path, checks the API key, turns every failure into an
 * OpenAI error object (a bug becomes a 500 with a message, never a hung connection), and records
 * request metrics. Endpoints block (reading bodies, waiting for tokens); Jetty runs them on its pool.
 */
public final class Router extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger(Router.class.getName());

    private final Map<String, Map<String, Endpoint>> routes = new LinkedHashMap<>();
    private final Set<String> open;
    private final byte[] apiKey;
    private final int maxBodyBytes;
    private final RequestMetrics metrics;

    /**
     * @param apiKey       required Bearer token, or null for none
     * @param open         paths served without the key (health checks, the chat page)
     * @param maxBodyBytes request bodies larger than this get 413
     */
    public Router(String apiKey, Set<String> open, int maxBodyBytes, RequestMetrics metrics) {
        this.apiKey = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
        this.open = Set.copyOf(open);
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    public Router route(String method, String path, Endpoint endpoint) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
        return this;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        Exchange ex = new Exchange(request, response, maxBodyBytes);
        String path = ex.path();
        Map<String, Endpoint> byMethod = routes.get(path);
        String route = byMethod == null ? "unmatched" : path;
        try {
            try {
                if (byMethod == null) {
                    throw ApiException.notFound("no endpoint at " + path, "unknown_url");
                }
                Endpoint endpoint = byMethod.get(request.getMethod());
                if (endpoint == null) {
                    throw new ApiException(405, "invalid_request_error", "method " + request.getMethod()
                            + " is not allowed on " + path + " (allowed: " + String.join(", ", byMethod.keySet()) + ")",
                            null, "method_not_allowed");
                }
                authorize(ex, path);
                endpoint.handle(ex);
            } catch (ApiException e) {
                answer(ex, e);
            } catch (IOException e) {
                // the client went away while we read or wrote: nothing to answer
                LOG.log(Level.FINE, "I/O error on " + path, e);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "unexpected failure on " + path, e);
                answer(ex, new ApiException(500, "server_error", "internal error: " + e, null, null));
            }
            ex.finish();
            callback.succeeded();
        } catch (Throwable t) {
            callback.failed(t);
        } finally {
            metrics.record(route, ex.status(), System.nanoTime() - start);
        }
        return true;
    }

    private void answer(Exchange ex, ApiException e) throws IOException {
        if (!ex.committed() || ex.heartbeating()) {
            ex.error(e);
        }
    }

    private void authorize(Exchange ex, String path) {
        if (apiKey == null || open.contains(path)) {
            return;
        }
        String auth = ex.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("missing API key: send 'Authorization: Bearer <key>'");
        }
        byte[] given = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, apiKey)) { // constant time: no timing oracle on the key
            throw ApiException.unauthorized("incorrect API key");
        }
    }
}
