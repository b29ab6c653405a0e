package org.llama3j.server.scheduler;

/**
 * Restricts which tokens a sequence may generate (constrained decoding, e.g. JSON mode). One
 * instance per sequence: it tracks what was generated so far. Called on the scheduler thread only.
 */
public interface TokenConstraint {
    /** Whether the (non-end) token may come next. */
    boolean allows(int token);

    /** Whether the output is complete, so an end token may (and must) come next. */
    boolean complete();

    /** Records the chosen token. */
    void accept(int token);
}
