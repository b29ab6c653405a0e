package org.llama3j.eval.harness;

import java.util.List;
import java.util.Optional;

/**
 * One line of a task file (the JSONL format is specified in {@code llama3j-eval/README.md}).
 * Items marked {@code "fewshot": true} are not scored; they form the pool of demonstrations
 * that {@code --shots K} puts in front of every scored item.
 */
public sealed interface TaskItem {

    String id();

    boolean fewshot();

    /** The kind of task, as written in the file's {@code "type"} field. */
    String type();

    /** The text shown for this item in a few-shot prompt: its prompt followed by its answer. */
    String demonstration();

    /** A text scored token by token (log-likelihood of the whole text, lm-eval's {@code loglikelihood_rolling}). */
    record Perplexity(String id, boolean fewshot, String text) implements TaskItem {
        public String type() {
            return "perplexity";
        }

        public String demonstration() {
            return text;
        }
    }

    /**
     * A multiple-choice item scored by log-likelihood: continuation {@code i} is
     * {@code delimiter + choices[i]} after {@code context} (lm-eval's {@code target_delimiter}, default " ").
     */
    record Choice(String id, boolean fewshot, String context, List<String> choices, int answer, String delimiter)
            implements TaskItem {
        public String type() {
            return "multiple_choice";
        }

        public String demonstration() {
            return context + delimiter + choices.get(answer);
        }
    }

    /**
     * A greedy generation after {@code prompt} (at most {@code maxTokens}, cut at the first of
     * {@code until}); correct when it equals {@code target} after trimming, or — with a
     * {@code regex} — when the pattern's first match (its group 1 if it has one) equals the target,
     * or simply matches when there is no target. With {@code chat} the prompt is one user message put
     * through the model's chat template, and the reply is the assistant's turn (it ends at end-of-turn).
     */
    record Generation(String id, boolean fewshot, String prompt, Optional<String> target, Optional<String> regex,
                      int maxTokens, List<String> until, boolean chat) implements TaskItem {
        /** A plain-text generation item (no chat template). */
        public Generation(String id, boolean fewshot, String prompt, Optional<String> target, Optional<String> regex,
                          int maxTokens, List<String> until) {
            this(id, fewshot, prompt, target, regex, maxTokens, until, false);
        }

        public String type() {
            return "generation";
        }

        public String demonstration() {
            return prompt + target.orElse("");
        }
    }

    /**
     * Pairwise preference: the evaluated model answers {@code prompt} and a judge model compares its
     * answer with {@code reference} (both orders, to cancel position bias).
     */
    record Preference(String id, boolean fewshot, String prompt, String reference, int maxTokens) implements TaskItem {
        public String type() {
            return "preference";
        }

        public String demonstration() {
            return prompt + reference;
        }
    }
}
