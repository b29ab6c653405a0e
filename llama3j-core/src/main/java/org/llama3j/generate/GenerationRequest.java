package org.llama3j.generate;

import java.util.List;
import java.util.Set;

/**
 * What to generate: the tokens to feed first (a prompt, or a new chat turn appended to a
 * sequence's cached history), the budget, the sampler settings, and when to stop.
 */
public record GenerationRequest(int[] inputTokens, int maxTokens, SamplingParams sampling,
                                Set<Integer> stopTokens, List<String> stopStrings) {
    public GenerationRequest {
        if (inputTokens.length == 0) {
            throw new IllegalArgumentException("generation needs at least one input token");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
        }
        inputTokens = inputTokens.clone();
        stopTokens = Set.copyOf(stopTokens);
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }
}
