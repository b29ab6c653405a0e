package org.llama3j.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.llama3j.chat.ChatFormatException;
import org.llama3j.chat.Message;
import org.llama3j.server.Generation;
import org.llama3j.server.GenerationOptions;
import org.llama3j.server.ModelHost;
import org.llama3j.server.ServedModel;
import org.llama3j.server.ServerMetrics;
import org.llama3j.server.http.ApiException;
import org.llama3j.server.http.Exchange;
import org.llama3j.server.http.Fields;
import org.llama3j.server.http.Json;
import org.llama3j.server.safety.SafetyMessages;

/** {@code POST /v1/chat/completions}: messages through the chat template, one JSON answer or an SSE stream. */
public final class ChatCompletionsEndpoint {
    private final ModelHost host;
    private final ServerMetrics metrics;
    private final Duration heartbeat;

    public ChatCompletionsEndpoint(ModelHost host, ServerMetrics metrics, Duration heartbeat) {
        this.host = host;
        this.metrics = metrics;
        this.heartbeat = heartbeat;
    }

    public void handle(Exchange ex) throws IOException {
        Fields f = new Fields(ex.jsonBody());
        ServedModel m = host.ready();
        m.checkModel(f.requireString("model"), "model");
        List<JsonNode> tools = ChatMessages.tools(f);
        List<Message> messages = ChatMessages.parse(f, "messages", tools);
        boolean logprobs = f.bool("logprobs", false);
        int top = f.integer("top_logprobs", 0, 0, OpenAiOptions.MAX_TOP_LOGPROBS);
        if (f.has("top_logprobs") && !logprobs) {
            throw ApiException.badRequest("'top_logprobs' needs 'logprobs': true", "top_logprobs");
        }
        GenerationOptions options = OpenAiOptions.parse(f, logprobs ? top : -1);
        boolean stream = f.bool("stream", false);
        boolean usage = OpenAiOptions.includeUsage(f);
        int[] prompt;
        try {
            prompt = m.chatFormat().encodeDialogPrompt(messages);
        } catch (ChatFormatException e) {
            throw ApiException.badRequest(e.getMessage(), "messages");
        }
        Generation g = m.generate(prompt, options, SafetyMessages.of(messages), "messages");
        ChatChoice[] choices = new ChatChoice[options.n()];
        for (int i = 0; i < choices.length; i++) {
            choices[i] = new ChatChoice(i, m, !tools.isEmpty());
        }
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        if (stream) {
            stream(ex, m, g, choices, id, created, usage);
        } else {
            ex.onFailure(g::cancel);
            try {
                respond(ex, m, g, choices, id, created);
            } catch (IOException | RuntimeException e) {
                g.cancel(); // never leave a sequence running for an answer nobody will read
                throw e;
            }
        }
    }

    private void respond(Exchange ex, ServedModel m, Generation g, ChatChoice[] choices, String id, long created)
            throws IOException {
        while (g.running()) {
            switch (g.nextWithHeartbeat(ex, heartbeat, "application/json")) {
                case Generation.Token t -> choices[t.choice()].add(t.token());
                case Generation.Done d -> {
                    choices[d.choice()].finish(d.result());
                    choices[d.choice()].refusal = d.refusal();
                    metrics.finished(d.result());
                }
                case Generation.Failed fl -> {
                    g.cancel();
                    throw new ApiException(500, "server_error", "generation failed: " + fl.error().getMessage(), null, null);
                }
            }
        }
        ObjectNode body = envelope(id, "chat.completion", created, m);
        ArrayNode arr = body.putArray("choices");
        int completion = 0;
        int cached = 0;
        for (ChatChoice c : choices) {
            ObjectNode o = arr.addObject();
            o.put("index", c.index);
            ObjectNode msg = o.putObject("message");
            msg.put("role", "assistant");
            if (c.call != null) {
                msg.putNull("content");
                msg.set("tool_calls", c.toolCalls(false));
            } else {
                msg.put("content", c.content());
            }
            if (c.refusal != null) {
                msg.put("refusal", c.refusal); // OpenAI's field for a refusal the client should show
            }
            List<ObjectNode> lps = c.drainLogprobs();
            if (lps.isEmpty()) {
                o.putNull("logprobs");
            } else {
                o.putObject("logprobs").putArray("content").addAll(lps);
            }
            o.put("finish_reason", c.finishReason());
            completion += c.completionTokens();
            cached = Math.max(cached, c.result.cachedTokens());
        }
        body.set("usage", usage(g.promptTokens(), completion, cached));
        ex.json(200, body);
    }

    private void stream(Exchange ex, ServedModel m, Generation g, ChatChoice[] choices, String id, long created,
                        boolean includeUsage) throws IOException {
        SseStream sse = new SseStream(ex.startStream("text/event-stream"));
        try {
            for (ChatChoice c : choices) {
                ObjectNode delta = Json.object().put("role", "assistant").put("content", "");
                sse.send(chunk(id, created, m, c, delta, null, includeUsage));
            }
            int completion = 0;
            int cached = 0;
            while (g.running()) {
                switch (g.next()) {
                    case Generation.Token t -> {
                        ChatChoice c = choices[t.choice()];
                        String text = c.add(t.token());
                        if (!text.isEmpty()) {
                            sse.send(chunk(id, created, m, c, Json.object().put("content", text), null, includeUsage));
                        }
                    }
                    case Generation.Done d -> {
                        ChatChoice c = choices[d.choice()];
                        metrics.finished(d.result());
                        String rest = c.finish(d.result());
                        if (d.refusal() != null) {
                            sse.send(chunk(id, created, m, c, Json.object().put("refusal", d.refusal()), null, includeUsage));
                        }
                        if (c.call != null) {
                            ObjectNode delta = Json.object();
                            delta.set("tool_calls", c.toolCalls(true));
                            sse.send(chunk(id, created, m, c, delta, null, includeUsage));
                        } else if (!rest.isEmpty()) {
                            sse.send(chunk(id, created, m, c, Json.object().put("content", rest), null, includeUsage));
                        }
                        sse.send(chunk(id, created, m, c, Json.object(), c.finishReason(), includeUsage));
                        completion += c.completionTokens();
                        cached = Math.max(cached, d.result().cachedTokens());
                    }
                    case Generation.Failed fl -> {
                        ObjectNode err = Json.object();
                        err.putObject("error").put("message", "generation failed: " + fl.error().getMessage())
                                .put("type", "server_error");
                        sse.send(err);
                    }
                }
            }
            if (includeUsage) {
                ObjectNode last = envelope(id, "chat.completion.chunk", created, m);
                last.putArray("choices");
                last.set("usage", usage(g.promptTokens(), completion, cached));
                sse.send(last);
            }
            sse.done();
        } catch (IOException | RuntimeException e) {
            g.cancel(); // the client went away: free the slots
            throw e;
        }
    }

    private ObjectNode chunk(String id, long created, ServedModel m, ChatChoice c, ObjectNode delta, String finish,
                             boolean includeUsage) {
        ObjectNode o = envelope(id, "chat.completion.chunk", created, m);
        ObjectNode ch = o.putArray("choices").addObject();
        ch.put("index", c.index);
        ch.set("delta", delta);
        List<ObjectNode> lps = c.drainLogprobs();
        if (lps.isEmpty()) {
            ch.putNull("logprobs");
        } else {
            ch.putObject("logprobs").putArray("content").addAll(lps);
        }
        ch.put("finish_reason", finish);
        if (includeUsage) {
            o.putNull("usage");
        }
        return o;
    }

    static ObjectNode envelope(String id, String object, long created, ServedModel m) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("object", object);
        o.put("created", created);
        o.put("model", m.id());
        o.put("system_fingerprint", "llama3j");
        return o;
    }

    static ObjectNode usage(int prompt, int completion, int cached) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", cached);
        return u;
    }
}
