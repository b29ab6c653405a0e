package org.llama3j.eval.scaling;

/**
 * One finished run of a sweep: its nominal budget, model, tokens, FLOPs, final validation loss
 * (mean NLL per token, nats) and — when the sweep has a task — the task's gold-answer NLL per
 * character and accuracies. Task fields are NaN when there is no task.
 */
public record RunRecord(String name, double budget, ModelSize model, long parameters, long tokens, double flops,
                        int steps, double valLoss, double taskNll, double taskAcc, double taskAccNorm, double seconds) {

    public boolean hasTask() {
        return Double.isFinite(taskNll) && Double.isFinite(taskAcc);
    }
}
