package org.llama3j.server;

import java.nio.file.Path;
import java.time.Duration;
import org.llama3j.safety.policy.SafetyPolicy;
import org.llama3j.server.scheduler.SchedulerConfig;

/**
 * What {@code llama3j serve} was asked for.
 *
 * @param model        GGUF file
 * @param modelId      the name clients use ({@code model} field); defaults to the file name without {@code .gguf}
 * @param host         bind address (loopback by default: exposing a model server is a deliberate choice)
 * @param port         0 picks a free port
 * @param apiKey       required Bearer token, or null
 * @param maxBodyBytes larger request bodies get 413
 * @param heartbeat    interval of the whitespace heartbeat of blocking answers (detects gone clients)
 * @param safety       Llama Guard / Code Shield checks on prompts and answers ({@link SafetyPolicy#none()} by default)
 */
public record ServerConfig(Path model, String modelId, String host, int port, SchedulerConfig scheduler, String apiKey,
                           int maxBodyBytes, Duration heartbeat, SafetyPolicy safety) {
    public static final int DEFAULT_MAX_BODY = 1 << 20;
    /** How long a blocking answer waits silently before the first whitespace heartbeat. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("body limit must be >= 1024 bytes, got " + maxBodyBytes);
        }
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            heartbeat = DEFAULT_HEARTBEAT;
        }
        if (safety == null) {
            safety = SafetyPolicy.none();
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key must not be blank");
        }
        if (modelId == null || modelId.isBlank()) {
            String name = model.getFileName().toString();
            modelId = name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
        }
    }

    public ServerConfig(Path model, String modelId, String host, int port, SchedulerConfig scheduler, String apiKey,
                        int maxBodyBytes, Duration heartbeat) {
        this(model, modelId, host, port, scheduler, apiKey, maxBodyBytes, heartbeat, SafetyPolicy.none());
    }

    /** Loopback, one slot per {@code parallel}, default queue and body limits. */
    public static ServerConfig of(Path model, int port, int parallel, int contextLength) {
        return new ServerConfig(model, null, "127.0.0.1", port,
                new SchedulerConfig(parallel, contextLength, 64, 256, Duration.ZERO), null, DEFAULT_MAX_BODY,
                DEFAULT_HEARTBEAT);
    }

    public ServerConfig withScheduler(SchedulerConfig s) {
        return new ServerConfig(model, modelId, host, port, s, apiKey, maxBodyBytes, heartbeat, safety);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(model, modelId, host, port, scheduler, key, maxBodyBytes, heartbeat, safety);
    }

    public ServerConfig withHeartbeat(Duration interval) {
        return new ServerConfig(model, modelId, host, port, scheduler, apiKey, maxBodyBytes, interval, safety);
    }

    public ServerConfig withSafety(SafetyPolicy policy) {
        return new ServerConfig(model, modelId, host, port, scheduler, apiKey, maxBodyBytes, heartbeat, policy);
    }
}
