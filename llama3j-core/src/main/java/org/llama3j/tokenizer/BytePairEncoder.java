package org.llama3j.tokenizer;

/**
 * tiktoken's byte-pair merge ({@code src/lib.rs} {@code byte_pair_merge}): start from single bytes,
 * repeatedly merge the adjacent pair whose concatenation has the lowest rank (leftmost on ties)
 * until no adjacent concatenation is a token. Ranks are token ids.
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

    private static int byteRank(ByteRanks ranks, byte[] piece, int at) {
        int r = ranks.rank(piece, at, at + 1);
        if (r == ByteRanks.ABSENT) {
            throw new TokenizerException("byte 0x" + Integer.toHexString(piece[at] & 0xFF)
                    + " is not in the vocabulary (a byte-level BPE vocabulary needs all 256 single bytes)");
        }
        return r;
    }
}
