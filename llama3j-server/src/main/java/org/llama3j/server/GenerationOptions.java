package org.llama3j.server;

import java.util.List;
import org.llama3j.generate.SamplingParams;

/**
 * Per-request generation settings common to the OpenAI and Ollama APIs.
 *
 * @param maxTokens   null: as many as the context allows
 * @param sampling    sampler settings; choice {@code i} of {@code n} uses seed {@code sampling.seed() + i}
 * @param topLogprobs -1 for none
 */
public record GenerationOptions(Integer maxTokens, SamplingParams sampling, List<String> stop, int n, int topLogprobs) {
    public GenerationOptions {
        stop = List.copyOf(stop);
    }
}
