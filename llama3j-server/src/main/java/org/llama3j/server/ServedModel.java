package org.llama3j.server;

import java.util.ArrayList;
import java.util.List;
import org.llama3j.Llama;
import org.llama3j.chat.ChatFormat;
import org.llama3j.server.constrain.JsonObjectConstraint;
import org.llama3j.server.constrain.TokenTable;
import org.llama3j.safety.policy.PolicyMessage;
import org.llama3j.server.http.ApiException;
import org.llama3j.server.safety.SafetyGate;
import org.llama3j.server.scheduler.BatchScheduler;
import org.llama3j.server.scheduler.QueueFullException;
import org.llama3j.server.scheduler.SequenceSpec;

/** The loaded model as the endpoints use it: its name, chat format, and the scheduler that runs it. */
public final class ServedModel {
    private final String id;
    private final Llama llama;
    private final BatchScheduler scheduler;
    private final ChatFormat chatFormat;
    private final long createdSeconds;
    private final long loadNanos;
    private final ServerMetrics metrics;
    private final SafetyGate safety;
    private TokenTable tokenTable;

    ServedModel(String id, Llama llama, BatchScheduler scheduler, long loadNanos, ServerMetrics metrics,
                SafetyGate safety) {
        this.safety = safety;
        this.id = id;
        this.llama = llama;
        this.scheduler = scheduler;
        this.loadNanos = loadNanos;
        this.metrics = metrics;
        this.createdSeconds = System.currentTimeMillis() / 1000;
        this.chatFormat = llama.chatFormat();
    }

    public String id() {
        return id;
    }

    public Llama llama() {
        return llama;
    }

    public BatchScheduler scheduler() {
        return scheduler;
    }

    public ChatFormat chatFormat() {
        return chatFormat;
    }

    public long createdSeconds() {
        return createdSeconds;
    }

    public long loadNanos() {
        return loadNanos;
    }

    public int contextLength() {
        return scheduler.config().contextLength();
    }

    /**
     * Checks the request's {@code model} field (absent is fine: there is one model).
     *
     * @throws ApiException 404 for another model
     */
    public void checkModel(String requested, String param) {
        if (requested == null || requested.equals(id) || requested.equals(id + ":latest")) {
            return;
        }
        throw new ApiException(404, "invalid_request_error", "the model '" + requested
                + "' does not exist; this server serves '" + id + "'", param, "model_not_found");
    }

    /**
     * Checks the request with the server's safety policy, then queues {@code options.n()} sequences
     * for the prompt; their answers pass the policy's output checks before the client sees them.
     *
     * @param request the request's messages as the policy sees them (a plain prompt as one user message)
     * @param param   the request field named in a refusal ({@code messages}, {@code prompt})
     * @throws ApiException 400 when the policy blocks the prompt ({@code content_filter}) or prompt plus
     *                      budget exceed the context, 429 when the queue is full
     */
    public Generation generate(int[] prompt, GenerationOptions options, List<PolicyMessage> request, String param) {
        safety.checkInput(request, param);
        int ctx = contextLength();
        if (prompt.length >= ctx) {
            throw ApiException.badRequest("the prompt has " + prompt.length + " tokens but the context holds " + ctx
                    + " (prompt plus at least one generated token must fit); shorten the messages or start the server"
                    + " with a larger --ctx", "messages", "context_length_exceeded");
        }
        int maxTokens;
        if (options.maxTokens() == null) {
            maxTokens = ctx - prompt.length;
        } else {
            maxTokens = options.maxTokens();
            if (prompt.length + (long) maxTokens > ctx) {
                throw ApiException.badRequest("the prompt (" + prompt.length + " tokens) plus max_tokens (" + maxTokens
                        + ") exceed the context of " + ctx + " tokens; lower max_tokens to at most "
                        + (ctx - prompt.length), "max_tokens", "context_length_exceeded");
            }
        }
        if (options.n() > scheduler.config().queueCapacity()) {
            throw ApiException.badRequest("n = " + options.n() + " exceeds the server's queue of "
                    + scheduler.config().queueCapacity() + " sequences", "n");
        }
        List<SequenceSpec> specs = new ArrayList<>();
        for (int i = 0; i < options.n(); i++) {
            var sampling = options.sampling().withSeed(options.sampling().seed() + i);
            specs.add(new SequenceSpec(prompt, maxTokens, sampling, options.stop(), options.topLogprobs(),
                    options.json() == null ? null : () -> new JsonObjectConstraint(tokenTable(), options.json())));
        }
        Generation g = new Generation(options.n(), prompt.length, safety.screen(request));
        try {
            g.handles(scheduler.submitAll(specs, g.sinks(options.n())));
        } catch (QueueFullException e) {
            throw ApiException.overloaded(e.getMessage());
        }
        metrics.requestQueued();
        return g;
    }

    /** Token bytes for constrained decoding, built on first use (a pass over the vocabulary). */
    private synchronized TokenTable tokenTable() {
        if (tokenTable == null) {
            tokenTable = new TokenTable(llama.tokenizer(), llama.config().vocabSize());
        }
        return tokenTable;
    }

    /** Text of one token as the client sees it (special tokens by their name). */
    public String tokenText(int id) {
        return new String(llama.tokenizer().tokenBytes(id), java.nio.charset.StandardCharsets.UTF_8);
    }

    public byte[] tokenBytes(int id) {
        return llama.tokenizer().tokenBytes(id);
    }
}
