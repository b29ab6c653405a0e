package org.llama3j.data.step;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one step: every input document is either kept or removed for exactly one reason,
 * so {@code input == kept + sum(removed)} (checked by {@link #balanced()}).
 */
public record StepStats(String step, long input, long kept, Map<String, Long> removed) implements java.io.Serializable {

    public StepStats {
        removed = java.util.Collections.unmodifiableMap(new TreeMap<>(removed));
    }

    public long removedTotal() {
        return removed.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean balanced() {
        return input == kept + removedTotal();
    }

    public StepStats plus(StepStats other) {
        if (!step.equals(other.step)) {
            throw new IllegalArgumentException("cannot add stats of " + other.step + " to " + step);
        }
        Map<String, Long> sum = new TreeMap<>(removed);
        other.removed.forEach((k, v) -> sum.merge(k, v, Long::sum));
        return new StepStats(step, input + other.input, kept + other.kept, sum);
    }
}
