package org.llama3j.model;

/** A sequence would grow past its context (KV cache capacity). */
public final class ContextOverflowException extends IllegalStateException {
    private final int needed;
    private final int capacity;

    public ContextOverflowException(int needed, int capacity) {
        super("context overflow: " + needed + " positions needed, context holds " + capacity);
        this.needed = needed;
        this.capacity = capacity;
    }

    public int needed() {
        return needed;
    }

    public int capacity() {
        return capacity;
    }
}
