package org.llama3j.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.llama3j.server.ServedModel;
import org.llama3j.server.http.Json;
import org.llama3j.server.scheduler.SequenceResult;
import org.llama3j.server.scheduler.TokenOutput;
import org.llama3j.server.tools.ToolCalls;

/**
 * One choice of a chat completion as it is generated. With tools offered, text that may still become
 * a tool call is held back (a stream shows it only once it is clearly prose, or as a tool call at the end).
 */
final class ChatChoice {
    final int index;
    private final ServedModel model;
    private final boolean tools;
    private final StringBuilder text = new StringBuilder();
    private final List<ObjectNode> logprobs = new ArrayList<>();
    private int released;
    private boolean prose;
    SequenceResult result;
    ToolCalls.Call call;
    /** Why the safety policy withheld the answer (OpenAI's {@code message.refusal}), else null. */
    String refusal;

    ChatChoice(int index, ServedModel model, boolean tools) {
        this.index = index;
        this.model = model;
        this.tools = tools;
        this.prose = !tools;
    }

    /** Adds a token; returns the content that may be streamed now (possibly empty). */
    String add(TokenOutput t) {
        text.append(t.text());
        if (t.logprob() != null) {
            logprobs.add(Logprobs.entry(model, t.logprob()));
        }
        if (!prose && !ToolCalls.mayBeToolCall(text.toString())) {
            prose = true;
        }
        return prose ? release() : "";
    }

    /** Ends the choice; returns content still to stream (empty when the answer was a tool call). */
    String finish(SequenceResult r) {
        result = r;
        if (tools && !prose) {
            call = ToolCalls.parse(text.toString());
            if (call != null) {
                return "";
            }
        }
        return release();
    }

    private String release() {
        String s = text.substring(released);
        released = text.length();
        return s;
    }

    /** Log-probability entries not yet sent (all of them for a complete answer). */
    List<ObjectNode> drainLogprobs() {
        List<ObjectNode> out = List.copyOf(logprobs);
        logprobs.clear();
        return out;
    }

    String finishReason() {
        return call != null ? "tool_calls" : Logprobs.finishReason(result.finishReason());
    }

    int completionTokens() {
        return result == null ? 0 : result.tokens().length;
    }

    String content() {
        return text.toString();
    }

    ArrayNode toolCalls(boolean delta) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        ObjectNode c = arr.addObject();
        if (delta) {
            c.put("index", 0);
        }
        c.put("id", "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        c.put("type", "function");
        ObjectNode fn = c.putObject("function");
        fn.put("name", call.name());
        fn.put("arguments", call.argumentsJson());
        return arr;
    }
}
