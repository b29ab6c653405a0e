package org.llama3j.server.scheduler;

/** The scheduler's wait queue is full: the server is overloaded (HTTP 429). */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(int capacity) {
        super("the server is busy: " + capacity + " requests are already waiting for a slot; retry later");
    }
}
