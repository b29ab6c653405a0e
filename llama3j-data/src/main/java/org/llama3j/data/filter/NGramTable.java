package org.llama3j.data.filter;

import java.util.Arrays;

/**
 * Occurrence counts of 64-bit n-gram hashes in one document, with the start of each n-gram's first occurrence:
 * open addressing over primitive arrays, cleared and reused for every n. Replaces a {@code Map<Long, int[]>}
 * whose boxing and resizing were most of the Gopher repetition filter's time.
 */
final class NGramTable {

    private final long[] keys;
    private final int[] counts; // 0 = empty slot
    private final int[] firstStarts;
    private final int mask;
    private final int shift;
    /** Slot of the most frequent n-gram so far (earliest first occurrence among ties), -1 when empty. */
    private int best = -1;

    /** A table for at most {@code entries} distinct n-grams (load factor at most 1/2). */
    NGramTable(int entries) {
        int capacity = Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
        keys = new long[capacity];
        counts = new int[capacity];
        firstStarts = new int[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    void clear() {
        Arrays.fill(counts, 0);
        best = -1;
    }

    /** The highest count since {@link #clear}; 1 means no n-gram occurred twice. */
    int maxCount() {
        return best < 0 ? 0 : counts[best];
    }

    /** Counts one occurrence of {@code hash} starting at word {@code start}; returns its count so far. */
    int count(long hash, int start) {
        int slot = (int) ((hash * 0x9e3779b97f4a7c15L) >>> shift); // Fibonacci hashing: every bit reaches the slot
        while (counts[slot] != 0 && keys[slot] != hash) {
            slot = (slot + 1) & mask;
        }
        if (counts[slot] == 0) {
            keys[slot] = hash;
            firstStarts[slot] = start;
        }
        int c = ++counts[slot];
        // the final winner reaches its count last at some increment, where it is compared: no scan needed at the end
        if (best < 0 || c > counts[best] || (c == counts[best] && firstStarts[slot] < firstStarts[best])) {
            best = slot;
        }
        return c;
    }

    /** The slot of the most frequent n-gram, the earliest first occurrence among ties; -1 when empty. */
    int mostFrequent() {
        return best;
    }

    int count(int slot) {
        return counts[slot];
    }

    int firstStart(int slot) {
        return firstStarts[slot];
    }
}
