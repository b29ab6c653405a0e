package org.llama3j.server.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.llama3j.chat.ChatFormatException;
import org.llama3j.chat.Message;
import org.llama3j.chat.Role;
import org.llama3j.generate.FinishReason;
import org.llama3j.model.LlamaConfig;
import org.llama3j.safety.policy.PolicyMessage;
import org.llama3j.server.Generation;
import org.llama3j.server.GenerationOptions;
import org.llama3j.server.ModelHost;
import org.llama3j.server.ServedModel;
import org.llama3j.server.ServerMetrics;
import org.llama3j.server.constrain.Schema;
import org.llama3j.server.constrain.SchemaCompiler;
import org.llama3j.server.constrain.SchemaException;
import org.llama3j.server.http.ApiException;
import org.llama3j.server.safety.SafetyMessages;
import org.llama3j.server.http.Exchange;
import org.llama3j.server.http.Fields;
import org.llama3j.server.http.Json;
import org.llama3j.server.scheduler.SequenceResult;
import org.llama3j.server.tools.ToolCalls;

/**
 * Ollama's API (github.com/ollama/ollama docs/api.md): {@code /api/chat} and {@code /api/generate}
 * stream NDJSON by default and end with an object carrying {@code done: true}, token counts and
 * durations in nanoseconds; {@code /api/tags} and {@code /api/show} describe the model.
 */
public final class OllamaEndpoints {
    private final ModelHost host;
    private final ServerMetrics metrics;
    private final Duration heartbeat;

    public OllamaEndpoints(ModelHost host, ServerMetrics metrics, Duration heartbeat) {
        this.host = host;
        this.metrics = metrics;
        this.heartbeat = heartbeat;
    }

    public void chat(Exchange ex) throws IOException {
        Fields f = new Fields(ex.jsonBody());
        ServedModel m = host.ready();
        m.checkModel(f.requireString("model"), "model");
        jsonFormat(f);
        List<JsonNode> raw = f.array("messages");
        if (raw == null || raw.isEmpty()) {
            throw ApiException.badRequest("'messages' must hold at least one message", "messages");
        }
        List<JsonNode> tools = ToolCalls.definitions(f);
        boolean toolsPlaced = tools.isEmpty();
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Fields msg = f.element("messages", i, raw.get(i));
            if (msg.has("images")) {
                throw ApiException.badRequest("images are not supported (Llama 3 text models)", msg.param("images"));
            }
            Role role;
            try {
                role = Role.parse(msg.requireString("role"));
            } catch (ChatFormatException e) {
                throw ApiException.badRequest(e.getMessage(), msg.param("role"));
            }
            String content = msg.string("content", "");
            if (role == Role.ASSISTANT && msg.has("tool_calls")) {
                content = toolCallContent(msg, content);
            }
            if (role == Role.USER && !toolsPlaced) {
                content = ToolCalls.prompt(tools) + content;
                toolsPlaced = true;
            }
            messages.add(new Message(role, content, false, false));
        }
        if (!toolsPlaced) {
            messages.add(Message.user(ToolCalls.prompt(tools)));
        }
        int[] prompt = encode(m, messages);
        run(ex, m, f, prompt, SafetyMessages.of(messages), true, !tools.isEmpty());
    }

    public void generate(Exchange ex) throws IOException {
        Fields f = new Fields(ex.jsonBody());
        ServedModel m = host.ready();
        m.checkModel(f.requireString("model"), "model");
        jsonFormat(f);
        if (f.has("images")) {
            throw ApiException.badRequest("images are not supported (Llama 3 text models)", "images");
        }
        if (f.has("suffix")) {
            throw ApiException.badRequest("'suffix' is not supported", "suffix");
        }
        String prompt = f.string("prompt", "");
        String system = f.string("system", null);
        boolean raw = f.bool("raw", false);
        if (prompt.isEmpty()) {
            // Ollama answers an empty prompt by (re)loading the model: done at once
            ObjectNode o = base(m);
            o.put("response", "");
            o.put("done", true);
            o.put("done_reason", "load");
            ex.json(200, o);
            return;
        }
        int[] ids;
        if (raw) {
            ids = m.llama().tokenizePrompt(prompt);
        } else {
            List<Message> messages = new ArrayList<>();
            if (system != null) {
                messages.add(Message.system(system));
            }
            messages.add(Message.user(prompt));
            ids = encode(m, messages);
        }
        List<PolicyMessage> request = new ArrayList<>();
        if (system != null) {
            request.add(PolicyMessage.system(system));
        }
        request.add(PolicyMessage.user(prompt));
        run(ex, m, f, ids, request, false, false);
    }

    private static int[] encode(ServedModel m, List<Message> messages) {
        try {
            return m.chatFormat().encodeDialogPrompt(messages);
        } catch (ChatFormatException e) {
            throw ApiException.badRequest(e.getMessage(), "messages");
        }
    }

    /** Ollama's {@code format}: absent, "json" (any object), or a JSON schema (structured outputs). */
    private static Schema.Obj jsonFormat(Fields f) {
        JsonNode format = f.get("format");
        if (format == null || (format.isTextual() && format.textValue().isEmpty())) {
            return null;
        }
        if (format.isTextual() && format.textValue().equals("json")) {
            return Schema.Obj.ANY;
        }
        if (format.isObject()) {
            try {
                return SchemaCompiler.compileRoot(format);
            } catch (SchemaException e) {
                throw ApiException.badRequest(e.getMessage(), "format", "unsupported_schema");
            }
        }
        throw ApiException.badRequest("'format' must be \"json\" or a JSON schema object", "format", "unsupported_format");
    }

    /** Earlier tool calls (Ollama writes {@code arguments} as an object) in the template's format. */
    private static String toolCallContent(Fields msg, String content) {
        List<JsonNode> calls = msg.array("tool_calls");
        StringBuilder sb = new StringBuilder(content);
        for (int i = 0; i < calls.size(); i++) {
            Fields fn = msg.element("tool_calls", i, calls.get(i)).object("function");
            if (fn == null) {
                throw ApiException.badRequest("'" + msg.param("tool_calls") + "[" + i + "].function' is required",
                        msg.param("tool_calls"));
            }
            JsonNode args = fn.get("arguments");
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(ToolCalls.render(fn.requireString("name"), args == null ? Json.object() : args));
        }
        return sb.toString();
    }

    private void run(Exchange ex, ServedModel m, Fields f, int[] prompt, List<PolicyMessage> request, boolean chat,
                     boolean tools)
            throws IOException {
        GenerationOptions options = OllamaOptions.parse(f).withJson(jsonFormat(f));
        boolean stream = f.bool("stream", true);
        long start = System.nanoTime();
        Generation g = m.generate(prompt, options, request, chat ? "messages" : "prompt");
        NdjsonStream out = stream ? new NdjsonStream(ex.startStream("application/x-ndjson")) : null;
        if (!stream) {
            ex.onFailure(g::cancel);
        }
        StringBuilder text = new StringBuilder();
        int sent = 0;
        boolean prose = !tools; // with tools offered, hold back what may still become a tool call
        SequenceResult result = null;
        String refusal = null;
        try {
            while (g.running()) {
                switch (out != null ? g.next() : g.nextWithHeartbeat(ex, heartbeat, "application/json")) {
                    case Generation.Token t -> {
                        text.append(t.token().text());
                        prose = prose || !ToolCalls.mayBeToolCall(text.toString());
                        if (out != null && prose && sent < text.length()) {
                            out.send(piece(m, chat, text.substring(sent), false));
                            sent = text.length();
                        }
                    }
                    case Generation.Done d -> {
                        result = d.result();
                        refusal = d.refusal();
                        metrics.finished(result);
                    }
                    case Generation.Failed fl -> throw new ApiException(500, "server_error",
                            "generation failed: " + fl.error().getMessage(), null, null);
                }
            }
        } catch (IOException | RuntimeException e) {
            g.cancel();
            throw e;
        }
        ToolCalls.Call call = prose ? null : ToolCalls.parse(text.toString());
        if (out != null && call == null && sent < text.length()) {
            out.send(piece(m, chat, text.substring(sent), false));
        }
        ObjectNode last = piece(m, chat, out == null && call == null ? text.toString() : "", true);
        if (call != null) {
            ObjectNode fn = ((ObjectNode) last.get("message")).putArray("tool_calls").addObject().putObject("function");
            fn.put("name", call.name());
            fn.set("arguments", Json.MAPPER.readTree(call.argumentsJson()));
        }
        last.put("done_reason", switch (result.finishReason()) {
            case LENGTH -> "length";
            case CONTENT_FILTER -> "content_filter"; // OpenAI's name; Ollama has none of its own
            default -> "stop";
        });
        if (refusal != null) {
            last.put("refusal", refusal); // not in Ollama's API: the reason its done_reason "content_filter" has
        }
        last.put("total_duration", System.nanoTime() - start);
        last.put("load_duration", 0);
        last.put("prompt_eval_count", result.promptTokens() - result.cachedTokens());
        last.put("prompt_eval_duration", result.promptNanos());
        last.put("eval_count", result.tokens().length);
        last.put("eval_duration", result.generateNanos());
        if (out != null) {
            out.send(last);
        } else {
            ex.json(200, last);
        }
    }

    private static ObjectNode base(ServedModel m) {
        ObjectNode o = Json.object();
        o.put("model", m.id());
        o.put("created_at", Instant.now().toString());
        return o;
    }

    private static ObjectNode piece(ServedModel m, boolean chat, String text, boolean done) {
        ObjectNode o = base(m);
        if (chat) {
            o.putObject("message").put("role", "assistant").put("content", text);
        } else {
            o.put("response", text);
        }
        o.put("done", done);
        return o;
    }

    /** {@code GET /api/tags}: the one served model. */
    public void tags(Exchange ex) throws IOException {
        ServedModel m = host.ready();
        ObjectNode body = Json.object();
        ObjectNode model = body.putArray("models").addObject();
        model.put("name", m.id() + ":latest");
        model.put("model", m.id() + ":latest");
        model.put("modified_at", Instant.ofEpochSecond(m.createdSeconds()).toString());
        model.put("size", fileSize(m));
        model.put("digest", "");
        model.set("details", details(m));
        ex.json(200, body);
    }

    /** {@code POST /api/show}: details, model info and the chat template of the served model. */
    public void show(Exchange ex) throws IOException {
        Fields f = new Fields(ex.jsonBody());
        ServedModel m = host.ready();
        String name = f.string("model", f.string("name", null));
        if (name == null) {
            throw ApiException.badRequest("'model' is required", "model");
        }
        m.checkModel(name, "model");
        ObjectNode body = Json.object();
        body.put("modelfile", "FROM " + m.llama().source() + "\n");
        body.put("parameters", "");
        body.put("template", m.llama().file().metadata().optString("tokenizer.chat_template").orElse(""));
        body.set("details", details(m));
        LlamaConfig c = m.llama().config();
        ObjectNode info = body.putObject("model_info");
        info.put("general.architecture", "llama");
        info.put("llama.context_length", c.contextLength());
        info.put("llama.embedding_length", c.dim());
        info.put("llama.block_count", c.layers());
        info.put("llama.attention.head_count", c.heads());
        info.put("llama.attention.head_count_kv", c.kvHeads());
        info.put("llama.feed_forward_length", c.ffnDim());
        info.put("llama.vocab_size", c.vocabSize());
        body.putArray("capabilities").add("completion").add("tools");
        ex.json(200, body);
    }

    private static ObjectNode details(ServedModel m) {
        ObjectNode d = Json.object();
        d.put("parent_model", "");
        d.put("format", "gguf");
        d.put("family", "llama");
        d.putArray("families").add("llama");
        d.put("parameter_size", parameterSize(m));
        d.put("quantization_level", m.llama().model().weights().layers().getFirst().wq().type().toString());
        return d;
    }

    private static String parameterSize(ServedModel m) {
        LlamaConfig c = m.llama().config();
        long perLayer = 2L * c.dim() * c.qDim() + 2L * c.dim() * c.kvDim() + 3L * c.dim() * c.ffnDim();
        long params = perLayer * c.layers() + 2L * c.vocabSize() * c.dim();
        return params >= 1_000_000_000 ? String.format("%.1fB", params / 1e9) : String.format("%.1fM", params / 1e6);
    }

    private static long fileSize(ServedModel m) {
        try {
            return java.nio.file.Files.size(java.nio.file.Path.of(m.llama().source()));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
