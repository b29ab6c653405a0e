package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.llama3j.server.LlamaServer;
import org.llama3j.server.ServerConfig;
import org.llama3j.server.scheduler.SchedulerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llama3j serve}: the OpenAI- and Ollama-compatible HTTP server with continuous batching. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model over HTTP (OpenAI /v1 and Ollama /api endpoints, continuous batching).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    LoraOption lora = new LoraOption();

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only; 0.0.0.0 exposes the server).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-np", "--parallel"}, paramLabel = "N", defaultValue = "4",
            description = "Sequences decoded together, one KV-cache slot each (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", defaultValue = "4096",
            description = "Positions per slot: prompt plus answer of one request (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "64",
            description = "Requests that may wait for a slot; more get HTTP 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' (default: none).")
    String apiKey;

    @Option(names = "--alias", paramLabel = "NAME", description = "Model name clients use (default: the file name).")
    String alias;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Largest request body; larger gets HTTP 413 (default: ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        Path file = model.require();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "model file not found");
        }
        SchedulerConfig scheduler = new SchedulerConfig(parallel, ctx, queue, 256, Duration.ZERO);
        ServerConfig config = new ServerConfig(file, alias, host, port, scheduler, apiKey, maxBody,
                ServerConfig.DEFAULT_HEARTBEAT);
        // with an adapter the command owns the loaded model (the server only closes models it loads itself)
        LlamaServer server = lora.lora == null ? LlamaServer.start(config) : LlamaServer.start(config, () -> lora.load(file));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "llama3j-shutdown"));
        System.err.println("llama3j serve: listening on " + server.uri() + " (loading " + file + ")");
        server.awaitLoaded();
        if (server.host().failure() != null) {
            Throwable t = server.host().failure();
            server.close();
            if (t instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
        System.err.println("llama3j serve: model '" + server.host().current().id() + "' ready; "
                + parallel + " slots of " + server.host().current().contextLength() + " positions");
        server.join();
        return 0;
    }
}
