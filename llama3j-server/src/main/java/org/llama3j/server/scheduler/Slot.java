package org.llama3j.server.scheduler;

import org.llama3j.model.InferenceState;

/**
 * A KV-cache slot: one {@link InferenceState} of the configured context, kept between requests
 * together with the ids whose keys and values it holds, so a new request that shares a prefix with
 * the previous one (same system prompt, a chat's earlier turns) skips recomputing it.
 */
final class Slot {
    final int index;
    final InferenceState state;
    private int[] cached = new int[0];
    /** Vocabulary-sized scratch rows, allocated on first use; see {@link #row}. */
    private final float[][] rows = new float[2][];
    long lastUsed;

    Slot(int index, InferenceState state) {
        this.index = index;
        this.state = state;
    }

    /** Length of the common prefix of the cached ids and {@code prompt}. */
    int commonPrefix(int[] prompt) {
        int n = Math.min(Math.min(cached.length, prompt.length), state.position());
        int i = 0;
        while (i < n && cached[i] == prompt[i]) {
            i++;
        }
        return i;
    }

    /**
     * Keeps the cached positions shared with {@code prompt}, always leaving at least one prompt
     * token to feed (the sampler needs fresh logits); returns how many positions were kept.
     */
    int reuseFor(int[] prompt) {
        int keep = Math.min(commonPrefix(prompt), prompt.length - 1);
        state.truncate(keep);
        return keep;
    }

    /** Records which ids the cache now holds (the first {@code state.position()} of {@code tokens}). */
    void remember(int[] tokens, int length) {
        int n = Math.min(length, state.position());
        cached = java.util.Arrays.copyOf(tokens, n);
    }

    /**
     * Scratch row {@code which} (0 or 1) of at least {@code vocab} floats, for copies of a
     * sequence's untouched logits (logprobs, constrained resampling). It stays with the slot, so
     * requests that need it do not each allocate 512 KB at a 128k vocabulary; one sequence uses a
     * slot at a time, and only on the scheduler thread.
     */
    float[] row(int which, int vocab) {
        if (rows[which] == null || rows[which].length < vocab) {
            rows[which] = new float[vocab];
        }
        return rows[which];
    }

    /** Forgets the cache (after a failure its contents are unknown). */
    void clear() {
        state.truncate(0);
        cached = new int[0];
    }
}
