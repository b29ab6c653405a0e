package org.llama3j.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.llama3j.Llama;
import org.llama3j.server.http.JsonErrorHandler;
import org.llama3j.server.http.Router;
import org.llama3j.server.ollama.OllamaEndpoints;
import org.llama3j.server.openai.ChatCompletionsEndpoint;
import org.llama3j.server.openai.CompletionsEndpoint;
import org.llama3j.server.safety.SafetyGate;
import org.llama3j.server.scheduler.BatchScheduler;
import org.llama3j.server.scheduler.SchedulerConfig;

/**
 * {@code llama3j serve}: Jetty on the configured address, the model loading in the background
 * (/health answers 503 until it is ready), and the routes of the OpenAI and Ollama APIs over one
 * {@link BatchScheduler}.
 */
public final class LlamaServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LlamaServer.class.getName());

    private final ServerConfig config;
    private final ModelHost host = new ModelHost();
    private final ServerMetrics metrics;
    private final SafetyGate safety;
    private final Server jetty;
    private final ServerConnector connector;
    private final Thread loader;
    private final boolean ownsModel;
    private volatile Llama llama;

    private LlamaServer(ServerConfig config, Callable<Llama> load, boolean ownsModel) throws Exception {
        this.config = config;
        this.ownsModel = ownsModel;
        this.safety = new SafetyGate(config.safety());
        this.metrics = new ServerMetrics(safety);
        QueuedThreadPool pool = new QueuedThreadPool(256, 4);
        pool.setName("llama3j-http");
        jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(300_000);
        jetty.addConnector(connector);
        jetty.setHandler(router());
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.start();
        loader = Thread.ofPlatform().name("llama3j-model-loader").daemon(true).start(() -> load(load));
    }

    /** Starts the server and begins loading the model file in the background. */
    public static LlamaServer start(ServerConfig config) throws Exception {
        Path file = config.model();
        return new LlamaServer(config, () -> Llama.load(file), true);
    }

    /**
     * Starts the server over a model the caller provides and keeps owning (not closed with the
     * server): for embedding, and for tests that share one loaded model or hold the load back.
     */
    public static LlamaServer start(ServerConfig config, Callable<Llama> load) throws Exception {
        return new LlamaServer(config, load, false);
    }

    private void load(Callable<Llama> load) {
        long t0 = System.nanoTime();
        try {
            llama = load.call();
            // the kernels' weight copies now, not in the first request (LlamaModel.prepareWeights)
            llama.model().prepareWeights();
            SchedulerConfig sc = config.scheduler();
            int trained = llama.config().contextLength();
            if (sc.contextLength() > trained) {
                // more positions than the model was trained for would only produce garbage
                LOG.warning("--ctx " + sc.contextLength() + " exceeds the model's context of " + trained + "; using " + trained);
                sc = new SchedulerConfig(sc.slots(), trained, sc.queueCapacity(), sc.prefillBudget(), sc.stepPause());
            }
            BatchScheduler scheduler = new BatchScheduler(llama, sc);
            host.loaded(new ServedModel(config.modelId(), llama, scheduler, System.nanoTime() - t0, metrics, safety));
            LOG.info(() -> "model " + config.modelId() + " ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (Throwable t) {
            LOG.log(Level.SEVERE, "model failed to load", t);
            host.failed(t);
        }
    }

    private Router router() {
        SystemEndpoints system = new SystemEndpoints(host, metrics);
        ChatCompletionsEndpoint chat = new ChatCompletionsEndpoint(host, metrics, config.heartbeat());
        CompletionsEndpoint completions = new CompletionsEndpoint(host, metrics, config.heartbeat());
        OllamaEndpoints ollama = new OllamaEndpoints(host, metrics, config.heartbeat());
        return new Router(config.apiKey(), Set.of("/health", "/"), config.maxBodyBytes(), metrics.http())
                .route("GET", "/", system::chatPage)
                .route("GET", "/health", system::health)
                .route("GET", "/metrics", system::metrics)
                .route("POST", "/tokenize", system::tokenize)
                .route("POST", "/detokenize", system::detokenize)
                .route("POST", "/v1/chat/completions", chat::handle)
                .route("POST", "/v1/completions", completions::handle)
                .route("GET", "/v1/models", ex -> CompletionsEndpoint.models(host, ex))
                .route("POST", "/api/chat", ollama::chat)
                .route("POST", "/api/generate", ollama::generate)
                .route("GET", "/api/tags", ollama::tags)
                .route("POST", "/api/show", ollama::show);
    }

    /** The bound port (the real one when 0 was asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    public URI uri() {
        String h = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + h + ":" + port());
    }

    public ModelHost host() {
        return host;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Waits until the model is loaded (or failed to). */
    public void awaitLoaded() throws InterruptedException {
        loader.join();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping Jetty failed", e);
        }
        try {
            loader.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ServedModel m = host.current();
        if (m != null) {
            m.scheduler().close();
        }
        if (llama != null && ownsModel) {
            llama.close();
        }
    }
}
