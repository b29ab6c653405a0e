package org.llama3j.server;

import java.util.List;
import org.llama3j.generate.SamplingParams;
import org.llama3j.server.constrain.Schema;

/**
 * Per-request generation settings common to the OpenAI and Ollama APIs.
 *
 * @param maxTokens   null: as many as the context allows
 * @param sampling    sampler settings; choice {@code i} of {@code n} uses seed {@code sampling.seed() + i}
 * @param topLogprobs -1 for none
 * @param json        constrain the output to one JSON object following this schema ({@link Schema.Obj#ANY}:
 *                    any object); null for free text
 */
public record GenerationOptions(Integer maxTokens, SamplingParams sampling, List<String> stop, int n, int topLogprobs,
                                Schema.Obj json) {
    public GenerationOptions {
        stop = List.copyOf(stop);
    }

    public GenerationOptions withJson(Schema.Obj schema) {
        return new GenerationOptions(maxTokens, sampling, stop, n, topLogprobs, schema);
    }
}
