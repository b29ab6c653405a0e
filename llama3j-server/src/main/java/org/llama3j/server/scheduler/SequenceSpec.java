package org.llama3j.server.scheduler;

import java.util.List;
import org.llama3j.generate.SamplingParams;

/**
 * One sequence to generate.
 *
 * @param prompt       the full prompt ids (the scheduler reuses a slot's cached prefix of them)
 * @param maxTokens    generated tokens at most (>= 1)
 * @param sampling     sampler settings; each sequence gets its own seeded sampler
 * @param stopStrings  text that ends generation (not included in the output)
 * @param topLogprobs  -1: no log-probabilities; k >= 0: the chosen token's and the k best alternatives'
 * @param constraint   makes each sequence's constrained-decoding state, or null for free generation
 */
public record SequenceSpec(int[] prompt, int maxTokens, SamplingParams sampling, List<String> stopStrings,
                           int topLogprobs, java.util.function.Supplier<TokenConstraint> constraint) {
    public SequenceSpec {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("a sequence needs at least one prompt token");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be >= 1, got " + maxTokens);
        }
        prompt = prompt.clone();
        stopStrings = List.copyOf(stopStrings);
    }

    public SequenceSpec(int[] prompt, int maxTokens, SamplingParams sampling, List<String> stopStrings, int topLogprobs) {
        this(prompt, maxTokens, sampling, stopStrings, topLogprobs, null);
    }
}
