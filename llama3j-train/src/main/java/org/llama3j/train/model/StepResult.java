package org.llama3j.train.model;

/** What one optimizer step saw: loss before the update, gradient norm before clipping, lr used. */
public record StepResult(int step, float loss, double gradNorm, float lr) {
}
