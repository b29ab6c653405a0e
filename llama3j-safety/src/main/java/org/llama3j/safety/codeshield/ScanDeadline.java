package org.llama3j.safety.codeshield;

/** A per-scan deadline, checked between rules and inside token loops. */
final class ScanDeadline {
    private final long deadlineNanos;
    private final long budgetNanos;

    ScanDeadline(long budgetNanos) {
        this.budgetNanos = budgetNanos;
        this.deadlineNanos = System.nanoTime() + budgetNanos;
    }

    static ScanDeadline unlimited() {
        return new ScanDeadline(Long.MAX_VALUE / 4);
    }

    void check() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new ScanBudgetExceededException("scan exceeded its time budget of " + budgetNanos / 1_000_000 + " ms");
        }
    }
}
