package org.llama3j.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.llama3j.Llama;
import org.llama3j.safety.codeshield.CodeShield;
import org.llama3j.safety.guard.GuardTaxonomy;
import org.llama3j.safety.guard.LlamaGuard;
import org.llama3j.safety.policy.SafetyPolicy;
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

    @Option(names = "--guard", paramLabel = "FILE.gguf",
            description = "A Llama Guard 2/3 model that checks every prompt (blocked: HTTP 400 content_filter) and "
                    + "answer (withheld: finish_reason content_filter; streams then show an answer once it passed).")
    Path guard;

    @Option(names = "--guard-taxonomy", paramLabel = "guard2|guard3|FILE", defaultValue = "guard3",
            description = "The guard's prompt format and categories (default: ${DEFAULT-VALUE}).")
    String guardTaxonomy;

    @Option(names = "--guard-threshold", paramLabel = "T", defaultValue = "0.5",
            description = "Unsafe when P(first token = unsafe) >= T, in (0,1) (default: ${DEFAULT-VALUE}).")
    double guardThreshold;

    @Option(names = "--codeshield",
            description = "Scan answers with Code Shield's rules; insecure code (error severity) is withheld.")
    boolean codeShield;

    @Override
    public Integer call() throws Exception {
        Threads.apply(threads);
        Path file = model.require();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "model file not found");
        }
        SchedulerConfig scheduler = new SchedulerConfig(parallel, ctx, queue, 256, Duration.ZERO);
        Llama guardModel = loadGuard();
        SafetyPolicy safety = SafetyPolicy.of(
                guardModel == null ? null
                        : LlamaGuard.of(guardModel, GuardTaxonomy.resolve(guardTaxonomy)).withThreshold(guardThreshold),
                codeShield ? CodeShield.defaults() : null);
        ServerConfig config = new ServerConfig(file, alias, host, port, scheduler, apiKey, maxBody,
                ServerConfig.DEFAULT_HEARTBEAT, safety);
        // with an adapter the command owns the loaded model (the server only closes models it loads itself)
        LlamaServer server = lora.lora == null ? LlamaServer.start(config) : LlamaServer.start(config, () -> lora.load(file));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (guardModel != null) {
                guardModel.close();
            }
        }, "llama3j-shutdown"));
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

    /** The guard model, loaded before the server starts so that a bad file fails the command at once. */
    private Llama loadGuard() throws Exception {
        if (!(guardThreshold > 0 && guardThreshold < 1)) {
            throw new UserException("--guard-threshold must be in (0,1), got " + guardThreshold);
        }
        if (guard == null) {
            return null;
        }
        if (!Files.isRegularFile(guard)) {
            throw new NoSuchFileException(guard.toString(), null, "guard model file not found");
        }
        GuardTaxonomy.resolve(guardTaxonomy); // a bad taxonomy fails before the model loads
        System.err.println("llama3j serve: loading guard model " + guard);
        return Llama.load(guard);
    }
}
