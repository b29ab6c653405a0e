package org.llama3j.eval.harness;

import java.util.List;

/** What the harness needs from a model: tokens, per-token log-probabilities, greedy generation. */
public interface LanguageModel {

    /** Tokens of {@code text}, no BOS. */
    int[] encode(String text);

    /** Begin-of-text id put in front of every scored sequence, or -1 when the model has none. */
    int bos();

    /** The longest sequence {@link #logProbs} accepts. */
    int contextLength();

    /**
     * {@code log p(tokens[i] | tokens[0..i))} for {@code i} in {@code [from, tokens.length)}, natural log,
     * in a fresh sequence; {@code from >= 1}.
     */
    double[] logProbs(int[] tokens, int from);

    /** Greedy continuation of {@code prompt} (BOS first), at most {@code maxTokens}, cut before the first stop string. */
    String generate(String prompt, int maxTokens, List<String> until);

    /**
     * Greedy assistant reply to one user message formatted by the model's chat template (generation prompt
     * appended), at most {@code maxTokens}, ending at end-of-turn, cut before the first stop string.
     */
    String chat(String userMessage, int maxTokens, List<String> until);
}
