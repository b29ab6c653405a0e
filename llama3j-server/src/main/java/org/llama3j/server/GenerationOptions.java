package org.llama3j.server;

import java.util.List;
import org.llama3j.generate.SamplingParams;

/**
 * Per-request generation settings common to the OpenAI and Ollama APIs.
 *
 * @param maxTokens   null: as many as the context allows
 * @param sampling    sampler settings; choice {@code i} of {@code n} uses seed {@code sampling.seed() + i}
 * @param topLogprobs -1 for none
 * @param jsonObject  constrain the output to one JSON object
 */
public record GenerationOptions(Integer maxTokens, SamplingParams sampling, List<String> stop, int n, int topLogprobs,
                                boolean jsonObject) {
    public GenerationOptions {
        stop = List.copyOf(stop);
    }

    public GenerationOptions withJsonObject(boolean json) {
        return new GenerationOptions(maxTokens, sampling, stop, n, topLogprobs, json);
    }
}
