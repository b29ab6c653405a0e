package org.llama3j.server.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** HTTP request counts by route and status, and a latency histogram, for Prometheus. */
public final class RequestMetrics {
    /** Latency bucket bounds in seconds (Prometheus client default buckets). */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Histogram latency = new Histogram(BUCKETS);

    void record(String route, int status, long nanos) {
        counts.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
        latency.observe(nanos / 1e9);
    }

    /** Appends the Prometheus text exposition of these metrics. */
    public void render(StringBuilder sb) {
        sb.append("# HELP llama3j_http_requests_total HTTP requests by route and status.\n");
        sb.append("# TYPE llama3j_http_requests_total counter\n");
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String[] k = e.getKey().split("\u0000");
            sb.append("llama3j_http_requests_total{route=\"").append(k[0]).append("\",status=\"").append(k[1])
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        });
        latency.render(sb, "llama3j_http_request_duration_seconds", "Time to answer an HTTP request (whole stream).");
    }
}
