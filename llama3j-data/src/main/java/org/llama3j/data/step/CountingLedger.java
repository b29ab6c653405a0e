package org.llama3j.data.step;

import java.util.Map;
import java.util.TreeMap;

/** A ledger that only counts (no removal log); for library callers and executors that log elsewhere. */
public final class CountingLedger implements StepLedger {

    private final String step;
    private long input;
    private long kept;
    private final Map<String, Long> removed = new TreeMap<>();

    public CountingLedger(String step) {
        this.step = step;
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
    }

    public StepStats stats() {
        return new StepStats(step, input, kept, removed);
    }
}
