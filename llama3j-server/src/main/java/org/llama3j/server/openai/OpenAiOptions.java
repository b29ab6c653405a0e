package org.llama3j.server.openai;

import java.util.concurrent.ThreadLocalRandom;
import org.llama3j.generate.SamplingParams;
import org.llama3j.server.GenerationOptions;
import org.llama3j.server.constrain.Schema;
import org.llama3j.server.constrain.SchemaCompiler;
import org.llama3j.server.constrain.SchemaException;
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
                f.stopStrings("stop", MAX_STOP), n, topLogprobs, jsonSchema(f));
    }

    /**
     * {@code response_format}: text (null), {@code json_object} (any object) or {@code json_schema}
     * ({@code json_schema.schema} compiled for constrained decoding).
     */
    static Schema.Obj jsonSchema(Fields f) {
        Fields rf = f.object("response_format");
        if (rf == null) {
            return null;
        }
        String type = rf.requireString("type");
        switch (type) {
            case "text" -> {
                return null;
            }
            case "json_object" -> {
                return Schema.Obj.ANY;
            }
            case "json_schema" -> {
                Fields js = rf.object("json_schema");
                if (js == null || js.get("schema") == null) {
                    throw ApiException.badRequest("'response_format.json_schema.schema' is required",
                            "response_format.json_schema.schema");
                }
                return compile(js.get("schema"), "response_format.json_schema.schema");
            }
            default -> throw ApiException.badRequest("response_format.type must be text, json_object or json_schema, got '"
                    + type + "'", "response_format.type");
        }
    }

    static Schema.Obj compile(com.fasterxml.jackson.databind.JsonNode schema, String param) {
        try {
            return SchemaCompiler.compileRoot(schema);
        } catch (SchemaException e) {
            throw ApiException.badRequest(e.getMessage(), param, "unsupported_schema");
        }
    }

    static boolean includeUsage(Fields f) {
        Fields so = f.object("stream_options");
        return so != null && so.bool("include_usage", false);
    }
}
