package org.llama3j.data.exec;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.llama3j.data.step.StepLedger;
import org.llama3j.data.step.StepStats;

/** One step's ledger within one batch or task: counts plus a removal record per removed document. Thread-confined. */
public final class TaskLedger implements StepLedger {

    private final String step;
    private final Consumer<Map<String, Object>> removals;
    private long input;
    private long kept;
    private final Map<String, Long> removed = new TreeMap<>();

    public TaskLedger(String step, Consumer<Map<String, Object>> removals) {
        this.step = step;
        this.removals = removals;
    }

    @Override
    public void input() {
        input++;
    }

    @Override
    public void kept() {
        kept++;
    }

    @Override
    public void removed(String documentId, String reason, String detail) {
        removed.merge(reason, 1L, Long::sum);
        if (removals != null) {
            Map<String, Object> rec = new java.util.LinkedHashMap<>();
            rec.put("step", step);
            rec.put("reason", reason);
            rec.put("id", documentId);
            if (detail != null) {
                rec.put("detail", detail);
            }
            removals.accept(rec);
        }
    }

    public StepStats stats() {
        return new StepStats(step, input, kept, removed);
    }
}
