package org.llama3j.server.scheduler;

import java.util.Arrays;
import java.util.Set;
import org.llama3j.generate.FinishReason;
import org.llama3j.generate.Sampler;
import org.llama3j.generate.StopStringFilter;
import org.llama3j.generate.TextStream;
import org.llama3j.generate.TokenLogprob;

/**
 * One request's sequence inside the scheduler: the per-token logic of
 * {@link org.llama3j.generate.Generator} (sample, end tokens, stop strings, budget, context end)
 * split into steps so many sequences can share one batched forward pass. Same sampler, same order of
 * checks, so a sequence generates exactly what {@code Generator} would for the same prompt and seed.
 */
final class ActiveSequence {
    final SequenceSpec spec;
    final SequenceSink sink;
    final SequenceHandle handle;
    final long submittedAt;

    private final Sampler sampler;
    private final TokenConstraint constraint;
    private final TextStream text;
    private final StopStringFilter stops;
    private final Set<Integer> endTokens;
    private final int vocab;
    /** Prompt then generated ids; its first {@code historyLength} entries are valid. */
    private final int[] history;
    private int historyLength;
    private int produced;

    Slot slot;
    int prefilled;
    int cachedTokens;
    long admittedAt;
    long firstTokenAt;
    int pendingToken = -1;
    SequenceResult result;
    RuntimeException error;

    ActiveSequence(SequenceSpec spec, SequenceSink sink, SequenceHandle handle, TextStream text,
                   Set<Integer> endTokens, int vocab) {
        this.spec = spec;
        this.sink = sink;
        this.handle = handle;
        this.text = text;
        this.endTokens = endTokens;
        this.vocab = vocab;
        this.sampler = new Sampler(spec.sampling());
        this.constraint = spec.constraint() == null ? null : spec.constraint().get();
        this.stops = new StopStringFilter(spec.stopStrings());
        this.history = Arrays.copyOf(spec.prompt(), spec.prompt().length + spec.maxTokens());
        this.historyLength = spec.prompt().length;
        this.submittedAt = System.nanoTime();
    }

    boolean done() {
        return result != null || error != null;
    }

    boolean prefilling() {
        return !done() && prefilled < spec.prompt().length;
    }

    boolean decoding() {
        return !done() && pendingToken >= 0;
    }

    /** Binds the sequence to a slot, reusing the slot's cached prefix of the prompt. */
    void admit(Slot s) {
        slot = s;
        cachedTokens = s.reuseFor(spec.prompt());
        prefilled = cachedTokens;
        admittedAt = System.nanoTime();
    }

    /** The next prompt chunk to prefill, at most {@code budget} tokens. */
    int[] nextChunk(int budget) {
        int n = Math.min(budget, spec.prompt().length - prefilled);
        return Arrays.copyOfRange(spec.prompt(), prefilled, prefilled + n);
    }

    /** Consumes the logits of the last token fed ({@code logits[off .. off+vocab)}): samples and emits the next token. */
    void accept(float[] logits, int off) {
        pendingToken = -1;
        if (firstTokenAt == 0) {
            firstTokenAt = System.nanoTime();
        }
        if (handle.cancelled()) {
            finish(FinishReason.CANCELLED, -1);
            return;
        }
        float[] raw = null;
        if (spec.topLogprobs() >= 0) { // the sampler's repetition penalty changes logits in place
            raw = slot.row(0, vocab);
            System.arraycopy(logits, off, raw, 0, vocab);
        }
        int next = constraint == null ? sampler.sample(logits, off, vocab, history, historyLength)
                : constrainedSample(logits, off);
        if (next < 0) { // the constraint allows nothing: stop rather than emit an invalid token
            finish(FinishReason.STOP, -1);
            return;
        }
        if (endTokens.contains(next)) {
            finish(FinishReason.STOP, next);
            return;
        }
        produced++;
        history[historyLength++] = next;
        if (constraint != null) {
            constraint.accept(next);
        }
        TokenLogprob lp = raw == null ? null : TokenLogprob.of(raw, 0, vocab, next, spec.topLogprobs());
        sink.onToken(new TokenOutput(next, stops.append(text.accept(next)), lp));
        if (stops.matched()) {
            finish(FinishReason.STOP_STRING, -1);
        } else if (produced == spec.maxTokens() || slot.state.position() >= slot.state.capacity()) {
            finish(FinishReason.LENGTH, -1);
        } else {
            pendingToken = next;
        }
    }

    /**
     * Samples under the constraint: first as usual (the likely token is usually allowed, and
     * checking one token is cheap); if that token is not allowed, masks every disallowed token of the
     * untouched logits and samples again, which draws from the constrained distribution.
     * Returns -1 when no token is allowed.
     */
    private int constrainedSample(float[] logits, int off) {
        float[] row = slot.row(1, vocab);
        System.arraycopy(logits, off, row, 0, vocab);
        int first = sampler.sample(logits, off, vocab, history, historyLength);
        if (allowed(first)) {
            return first;
        }
        boolean any = false;
        for (int id = 0; id < vocab; id++) {
            if (allowed(id)) {
                any = true;
            } else {
                row[id] = Float.NEGATIVE_INFINITY;
            }
        }
        return any ? sampler.sample(row, 0, vocab, history, historyLength) : -1;
    }

    private boolean allowed(int token) {
        return endTokens.contains(token) ? constraint.complete() : !constraint.complete() && constraint.allows(token);
    }

    /** Ends the sequence; releases held-back text as {@code Generator} does. */
    void finish(FinishReason reason, int endToken) {
        if (reason != FinishReason.STOP_STRING) {
            String rest = stops.append(text.finish());
            if (!stops.matched()) {
                rest += stops.flush();
            } else {
                reason = FinishReason.STOP_STRING;
            }
            if (!rest.isEmpty()) {
                sink.onToken(new TokenOutput(-1, rest, null));
            }
        }
        long now = System.nanoTime();
        long start = admittedAt == 0 ? now : admittedAt;
        long first = firstTokenAt == 0 ? now : firstTokenAt;
        result = new SequenceResult(Arrays.copyOfRange(history, spec.prompt().length, historyLength), stops.text(),
                reason, endToken, spec.prompt().length, cachedTokens, start - submittedAt, first - start, now - first);
    }

    /** All ids fed or generated so far, for the slot's prefix cache. */
    int[] tokens() {
        return history;
    }

    int tokenCount() {
        return historyLength;
    }

    int produced() {
        return produced;
    }
}
