package org.llama3j.safety.eval;

import java.util.List;
import org.llama3j.Llama;
import org.llama3j.generate.SamplingParams;

/**
 * {@link EvalModel} over a loaded model: greedy decoding (so a run is reproducible), at most
 * {@code maxTokens} per answer; chat through the model's chat template, completion without one.
 */
public final class LlamaEvalModel implements EvalModel {
    /** Headers, date lines and end tokens of the Llama 3 / 3.1 chat formats, with room to spare. */
    static final int CHAT_OVERHEAD_TOKENS = 96;

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
        // size the KV cache to this exchange, not to the model's full context (128K positions for Llama 3.1
        // would allocate tens of GB); the chat headers add a few dozen tokens to the message texts
        int texts = llama.tokenizer().encode((system == null ? "" : system) + "\n" + user, false, false).length;
        int capacity = Math.min(llama.config().contextLength(), texts + CHAT_OVERHEAD_TOKENS + maxTokens);
        return llama.chat(system, capacity)
                .send(user, maxTokens, SamplingParams.GREEDY, (id, text) -> { }, () -> false).text();
    }

    @Override
    public String complete(String prefix) {
        int[] tokens = llama.tokenizePrompt(prefix);
        return llama.generate(tokens, maxTokens, SamplingParams.GREEDY, List.of(), (id, text) -> { }, () -> false).text();
    }
}
