package org.llama3j.server.ollama;

import java.util.concurrent.ThreadLocalRandom;
import org.llama3j.generate.SamplingParams;
import org.llama3j.server.GenerationOptions;
import org.llama3j.server.http.Fields;

/**
 * Ollama's {@code options} object (Ollama docs/api.md "Valid Parameters and Values"), with Ollama's
 * defaults: temperature 0.8, top_k 40, top_p 0.9, min_p 0, repeat_penalty 1.1 over the last 64 tokens,
 * num_predict -1 (until the context is full).
 */
final class OllamaOptions {
    private OllamaOptions() {
    }

    static GenerationOptions parse(Fields request) {
        Fields o = request.object("options");
        if (o == null) {
            o = new Fields(org.llama3j.server.http.Json.object());
        }
        float temperature = (float) o.number("temperature", 0.8, 0, 100);
        int topK = o.integer("top_k", 40, 0, Integer.MAX_VALUE);
        float topP = (float) o.number("top_p", 0.9, 0, 1);
        float minP = (float) o.number("min_p", 0.0, 0, 1);
        float repeatPenalty = (float) o.number("repeat_penalty", 1.1, 0.01, 100);
        int repeatLastN = o.integer("repeat_last_n", 64, 0, Integer.MAX_VALUE);
        Long seed = o.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        int numPredict = o.integer("num_predict", -1, -2, Integer.MAX_VALUE);
        if (topP == 0f) {
            temperature = 0f;
            topP = 1f;
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 32);
        SamplingParams sampling = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, repeatLastN, s);
        Integer max = numPredict < 0 ? null : numPredict == 0 ? Integer.valueOf(1) : Integer.valueOf(numPredict);
        return new GenerationOptions(max, sampling, o.stopStrings("stop", 16), 1, -1, null);
    }
}
