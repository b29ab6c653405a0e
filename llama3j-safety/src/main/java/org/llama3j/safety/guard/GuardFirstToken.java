package org.llama3j.safety.guard;

/**
 * The guard model's first-token distribution at the end of the prompt, reduced to the two answers:
 * the probability of the first token of {@code unsafe} and of {@code safe} (softmax over the whole
 * vocabulary; the two need not sum to 1).
 */
public record GuardFirstToken(double unsafe, double safe) {
}
