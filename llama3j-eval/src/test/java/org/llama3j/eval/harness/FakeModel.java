package org.llama3j.eval.harness;

import java.util.List;
import java.util.function.IntBinaryOperator;

/**
 * A model whose log-probabilities are given by a table: one token per character (code unit), BOS = 0,
 * and log p(token t at position i) = -f(i, t) / 10. Lets tests compute expected scores by hand.
 */
final class FakeModel implements LanguageModel {
    private final IntBinaryOperator cost;
    private final int context;
    int calls;

    FakeModel(IntBinaryOperator cost, int context) {
        this.cost = cost;
        this.context = context;
    }

    @Override
    public int[] encode(String text) {
        return text.chars().toArray();
    }

    @Override
    public int bos() {
        return 0;
    }

    @Override
    public int contextLength() {
        return context;
    }

    @Override
    public double[] logProbs(int[] tokens, int from) {
        calls++;
        double[] out = new double[tokens.length - from];
        for (int i = from; i < tokens.length; i++) {
            out[i - from] = -cost.applyAsInt(i, tokens[i]) / 10.0;
        }
        return out;
    }

    @Override
    public String generate(String prompt, int maxTokens, List<String> until) {
        return StopStrings.cut(" " + prompt.length() + "\nrest", until);
    }

    @Override
    public String chat(String userMessage, int maxTokens, List<String> until) {
        return StopStrings.cut("reply to " + userMessage + "\nrest", until);
    }
}
