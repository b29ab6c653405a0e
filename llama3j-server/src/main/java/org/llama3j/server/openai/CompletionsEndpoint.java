package org.llama3j.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.llama3j.generate.TokenLogprob;
import org.llama3j.safety.policy.PolicyMessage;
import org.llama3j.server.Generation;
import org.llama3j.server.GenerationOptions;
import org.llama3j.server.ModelHost;
import org.llama3j.server.ServedModel;
import org.llama3j.server.ServerMetrics;
import org.llama3j.server.http.ApiException;
import org.llama3j.server.http.Exchange;
import org.llama3j.server.http.Fields;
import org.llama3j.server.http.Json;
import org.llama3j.server.scheduler.SequenceResult;

/** {@code POST /v1/completions}: plain-text continuation of one prompt (BOS added, no chat template). */
public final class CompletionsEndpoint {
    private static final int MAX_LOGPROBS = 5; // OpenAI's limit for the legacy endpoint

    private final ModelHost host;
    private final ServerMetrics metrics;
    private final Duration heartbeat;

    public CompletionsEndpoint(ModelHost host, ServerMetrics metrics, Duration heartbeat) {
        this.host = host;
        this.metrics = metrics;
        this.heartbeat = heartbeat;
    }

    /** One choice's text, log-probabilities and ending. */
    private static final class Choice {
        final StringBuilder text = new StringBuilder();
        final ArrayNode tokens = Json.MAPPER.createArrayNode();
        final ArrayNode tokenLogprobs = Json.MAPPER.createArrayNode();
        final ArrayNode topLogprobs = Json.MAPPER.createArrayNode();
        final ArrayNode offsets = Json.MAPPER.createArrayNode();
        SequenceResult result;
    }

    public void handle(Exchange ex) throws IOException {
        Fields f = new Fields(ex.jsonBody());
        ServedModel m = host.ready();
        m.checkModel(f.requireString("model"), "model");
        String prompt = prompt(f);
        if (f.bool("echo", false)) {
            throw ApiException.badRequest("'echo' is not supported", "echo");
        }
        if (f.has("suffix")) {
            throw ApiException.badRequest("'suffix' is not supported (no fill-in-the-middle for Llama 3)", "suffix");
        }
        int logprobs = f.integer("logprobs", -1, 0, MAX_LOGPROBS);
        GenerationOptions options = OpenAiOptions.parse(f, logprobs);
        boolean stream = f.bool("stream", false);
        boolean includeUsage = OpenAiOptions.includeUsage(f);
        Generation g = m.generate(m.llama().tokenizePrompt(prompt), options, List.of(PolicyMessage.user(prompt)),
                "prompt");
        Choice[] choices = new Choice[options.n()];
        for (int i = 0; i < choices.length; i++) {
            choices[i] = new Choice();
        }
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        SseStream sse = stream ? new SseStream(ex.startStream("text/event-stream")) : null;
        if (!stream) {
            ex.onFailure(g::cancel);
        }
        int completion = 0;
        try {
            while (g.running()) {
                switch (sse != null ? g.next() : g.nextWithHeartbeat(ex, heartbeat, "application/json")) {
                    case Generation.Token t -> {
                        Choice c = choices[t.choice()];
                        ObjectNode lp = logprob(m, c, t.token().logprob(), t.token().text());
                        c.text.append(t.token().text());
                        if (sse != null && (!t.token().text().isEmpty() || lp != null)) {
                            sse.send(chunk(id, created, m, t.choice(), t.token().text(), lp, null, includeUsage));
                        }
                    }
                    case Generation.Done d -> {
                        metrics.finished(d.result());
                        choices[d.choice()].result = d.result();
                        completion += d.result().tokens().length;
                        if (sse != null) {
                            sse.send(chunk(id, created, m, d.choice(), "", null,
                                    Logprobs.finishReason(d.result().finishReason()), includeUsage));
                        }
                    }
                    case Generation.Failed fl -> {
                        g.cancel();
                        throw new ApiException(500, "server_error", "generation failed: " + fl.error().getMessage(),
                                null, null);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            g.cancel();
            throw e;
        }
        if (sse != null) {
            if (includeUsage) {
                ObjectNode last = ChatCompletionsEndpoint.envelope(id, "text_completion", created, m);
                last.putArray("choices");
                last.set("usage", ChatCompletionsEndpoint.usage(g.promptTokens(), completion, 0));
                sse.send(last);
            }
            sse.done();
            return;
        }
        ObjectNode body = ChatCompletionsEndpoint.envelope(id, "text_completion", created, m);
        ArrayNode arr = body.putArray("choices");
        int cached = 0;
        for (int i = 0; i < choices.length; i++) {
            Choice c = choices[i];
            ObjectNode o = arr.addObject();
            o.put("text", c.result.text());
            o.put("index", i);
            if (logprobs < 0) {
                o.putNull("logprobs");
            } else {
                ObjectNode lp = o.putObject("logprobs");
                lp.set("tokens", c.tokens);
                lp.set("token_logprobs", c.tokenLogprobs);
                lp.set("top_logprobs", c.topLogprobs);
                lp.set("text_offset", c.offsets);
            }
            o.put("finish_reason", Logprobs.finishReason(c.result.finishReason()));
            cached = Math.max(cached, c.result.cachedTokens());
        }
        body.set("usage", ChatCompletionsEndpoint.usage(g.promptTokens(), completion, cached));
        ex.json(200, body);
    }

    private static String prompt(Fields f) {
        JsonNode p = f.get("prompt");
        if (p == null) {
            throw ApiException.badRequest("'prompt' is required", "prompt");
        }
        if (p.isTextual()) {
            return p.textValue();
        }
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            return p.get(0).textValue();
        }
        if (p.isArray()) {
            throw ApiException.badRequest("'prompt' must be a string or an array of one string (batches of prompts"
                    + " are not supported; send one request per prompt)", "prompt");
        }
        throw f.wrongType("prompt", "a string", p);
    }

    /** Records the legacy logprobs of one token; returns them as a one-token object for a stream chunk. */
    private static ObjectNode logprob(ServedModel m, Choice c, TokenLogprob lp, String text) {
        if (lp == null) {
            return null;
        }
        String token = m.tokenText(lp.token());
        ObjectNode top = Json.object();
        for (int i = 0; i < lp.topTokens().length; i++) {
            top.put(m.tokenText(lp.topTokens()[i]), lp.topLogprobs()[i]);
        }
        c.tokens.add(token);
        c.tokenLogprobs.add(lp.logprob());
        c.topLogprobs.add(top);
        c.offsets.add(c.text.length());
        ObjectNode one = Json.object();
        one.putArray("tokens").add(token);
        one.putArray("token_logprobs").add(lp.logprob());
        one.putArray("top_logprobs").add(top);
        one.putArray("text_offset").add(c.text.length());
        return one;
    }

    private static ObjectNode chunk(String id, long created, ServedModel m, int index, String text, ObjectNode logprobs,
                                    String finish, boolean includeUsage) {
        ObjectNode o = ChatCompletionsEndpoint.envelope(id, "text_completion", created, m);
        ObjectNode ch = o.putArray("choices").addObject();
        ch.put("text", text);
        ch.put("index", index);
        ch.set("logprobs", logprobs == null ? Json.MAPPER.nullNode() : logprobs);
        ch.put("finish_reason", finish);
        if (includeUsage) {
            o.putNull("usage");
        }
        return o;
    }

    /** {@code GET /v1/models}: the one served model. */
    public static void models(ModelHost host, Exchange ex) throws IOException {
        ServedModel m = host.ready();
        ObjectNode body = Json.object();
        body.put("object", "list");
        ObjectNode model = body.putArray("data").addObject();
        model.put("id", m.id());
        model.put("object", "model");
        model.put("created", m.createdSeconds());
        model.put("owned_by", "llama3j");
        ex.json(200, body);
    }
}
