package org.llama3j.server.scheduler;

/** A submitted sequence: lets the caller cancel it (e.g. the client went away). */
public final class SequenceHandle {
    private volatile boolean cancelled;

    /** Asks the scheduler to stop this sequence at its next step and free its slot. */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
