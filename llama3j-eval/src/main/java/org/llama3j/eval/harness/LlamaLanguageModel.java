package org.llama3j.eval.harness;

import java.util.Arrays;
import java.util.List;
import org.llama3j.Llama;
import org.llama3j.chat.Message;
import org.llama3j.generate.SamplingParams;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaModel;

/** {@link LanguageModel} over a loaded {@link Llama} (core's forward pass; log-softmax in double). */
public final class LlamaLanguageModel implements LanguageModel {
    /** Tokens per forward call, as core's {@code Perplexity} runs long chunks. */
    private static final int PIECE = 256;
    private final Llama llama;

    public LlamaLanguageModel(Llama llama) {
        this.llama = llama;
    }

    @Override
    public int[] encode(String text) {
        return llama.tokenizer().encode(text, false, false);
    }

    @Override
    public int bos() {
        return llama.bos();
    }

    @Override
    public int contextLength() {
        return llama.config().contextLength();
    }

    @Override
    public double[] logProbs(int[] tokens, int from) {
        if (from < 1 || from > tokens.length) {
            throw new IllegalArgumentException("from " + from + " outside [1, " + tokens.length + "]");
        }
        if (tokens.length > contextLength()) {
            throw new IllegalArgumentException(tokens.length + " tokens exceed the context length " + contextLength());
        }
        LlamaModel model = llama.model();
        int vocab = model.config().vocabSize();
        InferenceState state = model.newState(tokens.length);
        double[] out = new double[tokens.length - from];
        // logits at position p predict token p+1: we need positions from-1 .. n-2
        for (int start = 0; start < tokens.length - 1; start += PIECE) {
            int n = Math.min(PIECE, tokens.length - 1 - start);
            int[] piece = Arrays.copyOfRange(tokens, start, start + n);
            int logitsFrom = Math.max(0, from - 1 - start);
            if (logitsFrom >= n) {
                model.forward(state, piece, n, n - 1);
                continue;
            }
            float[] logits = model.forward(state, piece, n, logitsFrom);
            for (int p = logitsFrom; p < n; p++) {
                int target = tokens[start + p + 1];
                out[start + p + 1 - from] = LogSoftmax.at(logits, (p - logitsFrom) * vocab, vocab, target);
            }
        }
        return out;
    }

    @Override
    public String generate(String prompt, int maxTokens, List<String> until) {
        return greedy(llama.tokenizePrompt(prompt), maxTokens, until);
    }

    /** A first turn without a system message, in the model's {@link Llama#chatFormat()}, as {@code llama3j chat} sends it. */
    @Override
    public String chat(String userMessage, int maxTokens, List<String> until) {
        return greedy(llama.chatFormat().encode(List.of(Message.user(userMessage)), true), maxTokens, until);
    }

    private String greedy(int[] tokens, int maxTokens, List<String> until) {
        int budget = Math.min(maxTokens, contextLength() - tokens.length);
        if (budget < 1) {
            return "";
        }
        String text = llama.generate(tokens, budget, SamplingParams.GREEDY, until, (id, t) -> { }, () -> false).text();
        return StopStrings.cut(text, until);
    }
}
