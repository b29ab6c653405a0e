package org.llama3j.data.exec;

import java.nio.file.Path;
import java.util.List;
import org.llama3j.data.step.StepStats;

/**
 * Outcome of a run: per-step stats in pipeline order (the reader first, as step "read"), the output shards,
 * and how many tasks were skipped because an earlier run had completed them.
 */
public record PipelineResult(List<StepStats> stats, List<Path> outputs, int tasksRun, int tasksSkipped) {

    public PipelineResult {
        stats = List.copyOf(stats);
        outputs = List.copyOf(outputs);
    }

    public StepStats stats(String step) {
        return stats.stream().filter(s -> s.step().equals(step)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no step named " + step));
    }

    /** Fixed-width table: step, input, kept, removed, and the removal reasons. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        int w = Math.max(8, stats.stream().mapToInt(s -> s.step().length()).max().orElse(4));
        String fmt = "%-" + w + "s %12s %12s %12s  %s%n";
        sb.append(String.format(fmt, "step", "input", "kept", "removed", "reasons"));
        for (StepStats s : stats) {
            StringBuilder reasons = new StringBuilder();
            s.removed().forEach((r, n) -> reasons.append(reasons.isEmpty() ? "" : ", ").append(r).append('=').append(n));
            sb.append(String.format(fmt, s.step(), s.input(), s.kept(), s.removedTotal(), reasons));
        }
        return sb.toString();
    }
}
