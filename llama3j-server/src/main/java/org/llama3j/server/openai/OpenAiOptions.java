package org.llama3j.server.openai;

import java.util.concurrent.ThreadLocalRandom;
import org.llama3j.generate.SamplingParams;
import org.llama3j.server.GenerationOptions;
import org.llama3j.server.http.ApiException;
import org.llama3j.server.http.Fields;

/**
 * Reads the sampling and budget fields shared by /v1/chat/completions and /v1/completions.
 * Where OpenAI has no field, llama.cpp server's extensions and defaults apply ({@code top_k} 40,
 * {@code min_p} 0.05, {@code repeat_penalty} 1): without a top-k cut every token would sort the whole vocabulary.
 */
final class OpenAiOptions {
    static final int MAX_N = 16;
    static final int MAX_STOP = 16;
    static final int MAX_TOP_LOGPROBS = 20;

    private OpenAiOptions() {
    }

    /**
     * @param topLogprobs -1 for none, else how many alternatives to report
     */
    static GenerationOptions parse(Fields f, int topLogprobs) {
        float temperature = (float) f.number("temperature", 1.0, 0, 2);
        float topP = (float) f.number("top_p", 1.0, 0, 1);
        int topK = f.integer("top_k", 40, 0, Integer.MAX_VALUE);
        float minP = (float) f.number("min_p", 0.05, 0, 1);
        float repeatPenalty = (float) f.number("repeat_penalty", 1.0, 0.01, 10);
        // accepted for compatibility; llama3j's sampler has no presence/frequency penalties yet
        f.number("presence_penalty", 0, -2, 2);
        f.number("frequency_penalty", 0, -2, 2);
        Long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        int n = f.integer("n", 1, 1, MAX_N);
        Long maxTokens = f.integer("max_completion_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null) {
            maxTokens = f.integer("max_tokens", 1, Integer.MAX_VALUE);
        }
        if (topP == 0f) {
            temperature = 0f; // nothing but the most likely token survives
            topP = 1f;
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 32);
        SamplingParams sampling = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, 64, s);
        return new GenerationOptions(maxTokens == null ? null : maxTokens.intValue(), sampling,
                f.stopStrings("stop", MAX_STOP), n, topLogprobs, jsonObject(f));
    }

    /**
     * {@code response_format}: text, or {@code json_object} (constrained decoding to one JSON object);
     * {@code json_schema} is refused: the constraint does not yet follow a schema.
     */
    static boolean jsonObject(Fields f) {
        Fields rf = f.object("response_format");
        if (rf == null) {
            return false;
        }
        String type = rf.requireString("type");
        switch (type) {
            case "text" -> {
                return false;
            }
            case "json_object" -> {
                return true;
            }
            case "json_schema" -> throw ApiException.badRequest("response_format 'json_schema' is not supported yet by"
                    + " llama3j (json_object is: the output is constrained to one JSON object, but not to a schema)",
                    "response_format.type", "unsupported_response_format");
            default -> throw ApiException.badRequest("response_format.type must be text, json_object or json_schema, got '"
                    + type + "'", "response_format.type");
        }
    }

    static boolean includeUsage(Fields f) {
        Fields so = f.object("stream_options");
        return so != null && so.bool("include_usage", false);
    }
}
