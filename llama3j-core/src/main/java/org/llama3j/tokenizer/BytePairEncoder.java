package org.llama3j.tokenizer;

/**
 * tiktoken's byte-pair merge ({@code src/lib.rs} {@code byte_pair_merge}): start from single bytes,
 * repeatedly merge the adjacent pair whose concatenation has the lowest rank (leftmost on ties)
 * until no adjacent concatenation is a token. Ranks are token ids.
 *
 * <p>Short pieces use tiktoken's quadratic scan; long ones a heap ordered by (rank, start), which picks
 * the same pair each step (the leftmost lowest rank) in O(n log n), so huge pieces cannot stall encoding.
 */
final class BytePairEncoder {
    private BytePairEncoder() {
    }

    /** Appends the ids of {@code piece[0, len)} to {@code out}; the caller has checked the whole piece is no token. */
    static void encode(ByteRanks ranks, byte[] piece, int len, IntList out) {
        if (len == 1) {
            out.add(byteRank(ranks, piece, 0));
            return;
        }
        if (len > HEAP_THRESHOLD) {
            encodeWithHeap(ranks, piece, len, out);
        } else {
            encodeByScan(ranks, piece, len, out);
        }
    }

    static void encodeByScan(ByteRanks ranks, byte[] piece, int len, IntList out) {
        if (len == 1) {
            out.add(byteRank(ranks, piece, 0));
            return;
        }
        // starts[k]: start of part k; pairRank[k]: rank of parts k and k+1 joined. Part count shrinks as we merge.
        int[] starts = new int[len + 1];
        int[] pairRank = new int[len + 1];
        for (int k = 0; k <= len; k++) starts[k] = k;
        int parts = len; // starts[parts] == len is the sentinel end
        for (int k = 0; k < parts - 1; k++) pairRank[k] = ranks.rank(piece, k, k + 2);
        pairRank[parts - 1] = ByteRanks.ABSENT;
        while (true) {
            int best = ByteRanks.ABSENT;
            int at = -1;
            for (int k = 0; k < parts - 1; k++) {
                if (pairRank[k] < best) {
                    best = pairRank[k];
                    at = k;
                }
            }
            if (at < 0) break;
            // merge part at+1 into part at
            System.arraycopy(starts, at + 2, starts, at + 1, parts - at - 1);
            System.arraycopy(pairRank, at + 2, pairRank, at + 1, parts - at - 2);
            parts--;
            pairRank[at] = at + 1 < parts ? ranks.rank(piece, starts[at], starts[at + 2]) : ByteRanks.ABSENT;
            if (at > 0) pairRank[at - 1] = ranks.rank(piece, starts[at - 1], starts[at + 1]);
        }
        for (int k = 0; k < parts; k++) {
            int r = ranks.rank(piece, starts[k], starts[k + 1]);
            if (r == ByteRanks.ABSENT) {
                // only single bytes can be left unmerged; a vocabulary must contain all 256
                throw new TokenizerException("byte 0x" + Integer.toHexString(piece[starts[k]] & 0xFF)
                        + " is not in the vocabulary (a byte-level BPE vocabulary needs all 256 single bytes)");
            }
            out.add(r);
        }
    }

    static final int HEAP_THRESHOLD = 128;

    static void encodeWithHeap(ByteRanks ranks, byte[] piece, int len, IntList out) {
        // parts are identified by their start byte; next[s] is the start of the following part (len = end)
        int[] next = new int[len];
        int[] prev = new int[len];
        int[] pairRank = new int[len];
        boolean[] dead = new boolean[len];
        LongHeap heap = new LongHeap(len);
        for (int s = 0; s < len; s++) {
            next[s] = s + 1;
            prev[s] = s - 1;
            pairRank[s] = s + 2 <= len ? ranks.rank(piece, s, s + 2) : ByteRanks.ABSENT;
            if (pairRank[s] != ByteRanks.ABSENT) heap.push(key(pairRank[s], s));
        }
        while (!heap.isEmpty()) {
            long k = heap.pop();
            int rank = (int) (k >>> 32);
            int s = (int) k;
            if (dead[s] || pairRank[s] != rank) continue; // stale: the pair at s changed since it was pushed
            int t = next[s];
            dead[t] = true;
            next[s] = next[t];
            if (next[t] < len) prev[next[t]] = s;
            int after = next[s];
            pairRank[s] = after < len ? ranks.rank(piece, s, next[after]) : ByteRanks.ABSENT;
            if (pairRank[s] != ByteRanks.ABSENT) heap.push(key(pairRank[s], s));
            int p = prev[s];
            if (p >= 0) {
                pairRank[p] = ranks.rank(piece, p, after);
                if (pairRank[p] != ByteRanks.ABSENT) heap.push(key(pairRank[p], p));
            }
        }
        for (int s = 0; s < len; s = next[s]) {
            int r = ranks.rank(piece, s, next[s]);
            if (r == ByteRanks.ABSENT) r = byteRank(ranks, piece, s);
            out.add(r);
        }
    }

    private static long key(int rank, int start) {
        return ((long) rank << 32) | start;
    }

    /** Min-heap of longs. */
    private static final class LongHeap {
        private long[] a;
        private int n;

        LongHeap(int capacity) {
            a = new long[Math.max(16, capacity)];
        }

        boolean isEmpty() {
            return n == 0;
        }

        void push(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            int i = n++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (a[parent] <= v) break;
                a[i] = a[parent];
                i = parent;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--n];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= n) break;
                if (c + 1 < n && a[c + 1] < a[c]) c++;
                if (a[c] >= last) break;
                a[i] = a[c];
                i = c;
            }
            a[i] = last;
            return top;
        }
    }

    private static int byteRank(ByteRanks ranks, byte[] piece, int at) {
        int r = ranks.rank(piece, at, at + 1);
        if (r == ByteRanks.ABSENT) {
            throw new TokenizerException("byte 0x" + Integer.toHexString(piece[at] & 0xFF)
                    + " is not in the vocabulary (a byte-level BPE vocabulary needs all 256 single bytes)");
        }
        return r;
    }
}
