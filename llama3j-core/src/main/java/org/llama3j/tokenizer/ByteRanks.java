package org.llama3j.tokenizer;

import java.util.Arrays;

/**
 * Mergeable ranks of a byte-level BPE vocabulary: byte sequence → rank, looked up by a slice of a
 * byte array without allocating (the hot path of encoding). Open addressing over one byte pool.
 * In tiktoken's model a token's id is its rank.
 */
final class ByteRanks {
    static final int ABSENT = Integer.MAX_VALUE;

    private final byte[] pool;
    private final int[] offsets;   // per entry: start in pool; entry i spans offsets[i]..offsets[i+1]
    private final int[] ranks;     // per entry
    private final int[] table;     // entry index + 1, 0 = empty
    private final int mask;

    /** @param tokens tokens in any order; {@code rankOf[i]} is the rank of {@code tokens[i]} */
    ByteRanks(byte[][] tokens, int[] rankOf) {
        int total = 0;
        for (byte[] t : tokens) total += t.length;
        pool = new byte[total];
        offsets = new int[tokens.length + 1];
        ranks = rankOf.clone();
        int capacity = Integer.highestOneBit(Math.max(4, tokens.length * 2 - 1)) << 1;
        table = new int[capacity];
        mask = capacity - 1;
        int at = 0;
        for (int i = 0; i < tokens.length; i++) {
            byte[] t = tokens[i];
            if (t.length == 0) {
                throw new TokenizerException("mergeable rank " + rankOf[i] + " has an empty token");
            }
            offsets[i] = at;
            System.arraycopy(t, 0, pool, at, t.length);
            at += t.length;
            offsets[i + 1] = at;
            int slot = hash(t, 0, t.length) & mask;
            while (table[slot] != 0) {
                int other = table[slot] - 1;
                if (equalsEntry(other, t, 0, t.length)) {
                    throw new TokenizerException("token bytes " + Arrays.toString(t) + " appear twice (ranks "
                            + ranks[other] + " and " + rankOf[i] + ")");
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
    }

    int size() {
        return ranks.length;
    }

    /** Rank of {@code bytes[from, to)}, or {@link #ABSENT}. */
    int rank(byte[] bytes, int from, int to) {
        int len = to - from;
        int slot = hash(bytes, from, len) & mask;
        while (true) {
            int e = table[slot];
            if (e == 0) return ABSENT;
            if (equalsEntry(e - 1, bytes, from, len)) return ranks[e - 1];
            slot = (slot + 1) & mask;
        }
    }

    private boolean equalsEntry(int entry, byte[] bytes, int from, int len) {
        int start = offsets[entry];
        return offsets[entry + 1] - start == len
                && Arrays.equals(pool, start, start + len, bytes, from, from + len);
    }

    private static int hash(byte[] b, int from, int len) {
        int h = 0x9E3779B9 ^ len;
        for (int i = from, end = from + len; i < end; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
