package org.llama3j.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.llama3j.generate.TokenLogprob;
import org.llama3j.server.ServedModel;
import org.llama3j.server.http.Json;

/** OpenAI's chat {@code logprobs.content[]} entries. */
final class Logprobs {
    private Logprobs() {
    }

    static ObjectNode entry(ServedModel m, TokenLogprob lp) {
        ObjectNode o = token(m, lp.token(), lp.logprob());
        ArrayNode top = o.putArray("top_logprobs");
        for (int i = 0; i < lp.topTokens().length; i++) {
            top.add(token(m, lp.topTokens()[i], lp.topLogprobs()[i]));
        }
        return o;
    }

    private static ObjectNode token(ServedModel m, int id, double logprob) {
        ObjectNode o = Json.object();
        o.put("token", m.tokenText(id));
        o.put("logprob", logprob);
        ArrayNode bytes = o.putArray("bytes");
        for (byte b : m.tokenBytes(id)) {
            bytes.add(b & 0xff);
        }
        return o;
    }

    static String finishReason(org.llama3j.generate.FinishReason r) {
        return switch (r) {
            case LENGTH -> "length";
            case STOP, STOP_STRING, CANCELLED -> "stop";
            case CONTENT_FILTER -> "content_filter";
        };
    }
}
