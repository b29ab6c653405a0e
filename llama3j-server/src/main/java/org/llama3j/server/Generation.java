package org.llama3j.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.llama3j.generate.FinishReason;
import org.llama3j.server.safety.OutputScreen;
import org.llama3j.server.scheduler.SequenceHandle;
import org.llama3j.server.scheduler.SequenceResult;
import org.llama3j.server.scheduler.SequenceSink;
import org.llama3j.server.scheduler.TokenOutput;

/**
 * The running choices of one HTTP request. The scheduler thread posts events into a queue; the
 * request's thread takes them and writes to the client, so a slow client never stalls the batch.
 *
 * <p>With an {@link OutputScreen}, a choice's tokens are held until it finishes; the screen then runs
 * on the request's thread (never the scheduler's: a guard model takes time) and either releases them
 * or replaces the answer with an empty one ending in {@link FinishReason#CONTENT_FILTER}.
 */
public final class Generation {
    /** Something that happened to choice {@code choice}. */
    public sealed interface Event {
        int choice();
    }

    public record Token(int choice, TokenOutput token) implements Event {
    }

    /** @param refusal why a safety policy withheld the answer (finish reason CONTENT_FILTER), else null */
    public record Done(int choice, SequenceResult result, String refusal) implements Event {
        public Done(int choice, SequenceResult result) {
            this(choice, result, null);
        }
    }

    public record Failed(int choice, RuntimeException error) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final int promptTokens;
    private final OutputScreen screen;
    private final List<List<Token>> held = new ArrayList<>();
    private final ArrayDeque<Event> ready = new ArrayDeque<>();
    private List<SequenceHandle> handles = List.of();
    private int open;

    Generation(int choices, int promptTokens, OutputScreen screen) {
        this.open = choices;
        this.promptTokens = promptTokens;
        this.screen = screen;
        for (int i = 0; i < choices; i++) {
            held.add(new ArrayList<>());
        }
    }

    List<SequenceSink> sinks(int n) {
        List<SequenceSink> sinks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int choice = i;
            sinks.add(new SequenceSink() {
                @Override
                public void onToken(TokenOutput token) {
                    events.add(new Token(choice, token));
                }

                @Override
                public void onFinish(SequenceResult result) {
                    events.add(new Done(choice, result));
                }

                @Override
                public void onError(RuntimeException error) {
                    events.add(new Failed(choice, error));
                }
            });
        }
        return sinks;
    }

    void handles(List<SequenceHandle> h) {
        this.handles = List.copyOf(h);
    }

    public int promptTokens() {
        return promptTokens;
    }

    /** Whether some choice has not ended yet. */
    public boolean running() {
        return open > 0;
    }

    /** The next event, waiting for it; after the last choice ends, call no more. */
    public Event next() {
        try {
            while (ready.isEmpty()) {
                admit(events.take());
            }
            return count(ready.poll());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            cancel();
            throw new IllegalStateException("interrupted while waiting for tokens", ie);
        }
    }

    /** The next event, or null when none came within {@code timeout}. */
    public Event poll(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (ready.isEmpty()) {
                long left = deadline - System.nanoTime();
                Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    return null;
                }
                admit(e);
            }
            return count(ready.poll());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            cancel();
            throw new IllegalStateException("interrupted while waiting for tokens", ie);
        }
    }

    private Event count(Event e) {
        if (!(e instanceof Token)) {
            open--;
        }
        return e;
    }

    /** Moves a scheduler event to {@code ready}, through the screen when there is one. */
    private void admit(Event e) {
        if (screen == null) {
            ready.add(e);
            return;
        }
        List<Token> mine = held.get(e.choice());
        switch (e) {
            case Token t -> mine.add(t);
            case Done d -> {
                String why = screen.withhold(d.result().text());
                if (why == null) {
                    ready.addAll(mine);
                    ready.add(d);
                } else {
                    SequenceResult r = d.result();
                    ready.add(new Done(d.choice(), new SequenceResult(r.tokens(), "", FinishReason.CONTENT_FILTER,
                            r.endToken(), r.promptTokens(), r.cachedTokens(), r.queueNanos(), r.promptNanos(),
                            r.generateNanos()), why));
                }
                mine.clear();
            }
            case Failed f -> {
                mine.clear();
                ready.add(f);
            }
        }
    }

    /**
     * The next event for a blocking (non-streamed) answer, sending a heartbeat to the client every
     * {@code interval} while waiting; a failed heartbeat (client gone) throws {@link IOException}.
     */
    public Event nextWithHeartbeat(org.llama3j.server.http.Exchange ex, java.time.Duration interval, String contentType)
            throws java.io.IOException {
        while (true) {
            Event e = poll(interval);
            if (e != null) {
                return e;
            }
            ex.heartbeat(contentType);
        }
    }

    /** Stops every choice at the scheduler's next step (the client went away). */
    public void cancel() {
        handles.forEach(SequenceHandle::cancel);
    }
}
