package org.llama3j.safety.eval;

import java.util.List;
import org.llama3j.Llama;
import org.llama3j.generate.SamplingParams;

/**
 * {@link EvalModel} over a loaded model: greedy decoding (so a run is reproducible), at most
 * {@code maxTokens} per answer; chat through the model's chat template, completion without one.
 */
public final class LlamaEvalModel implements EvalModel {
    private final Llama llama;
    private final int maxTokens;

    public LlamaEvalModel(Llama llama, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        this.llama = llama;
        this.maxTokens = maxTokens;
    }

    @Override
    public String chat(String system, String user) {
        return llama.chat(system, llama.config().contextLength())
                .send(user, maxTokens, SamplingParams.GREEDY, (id, text) -> { }, () -> false).text();
    }

    @Override
    public String complete(String prefix) {
        int[] tokens = llama.tokenizePrompt(prefix);
        return llama.generate(tokens, maxTokens, SamplingParams.GREEDY, List.of(), (id, text) -> { }, () -> false).text();
    }
}
