package org.llama3j.train.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.PreTokenizer;

/**
 * Byte-level BPE training (Sennrich et al. 2016 on bytes, as GPT-2 and Llama 3's tiktoken
 * vocabulary): text is split by a {@link PreTokenizer} into pieces, the 256 single bytes are ranks
 * 0..255, and each merge joins the most frequent adjacent pair of symbols over all pieces, giving
 * the next rank. Ties go to the pair with the smaller (left, right) ids.
 *
 * <p>Efficient in the usual way (Hugging Face {@code tokenizers} {@code BpeTrainer}): pieces are
 * counted once into unique words with counts; pair counts are kept incrementally — a merge only
 * revisits the words that contain the merged pair — and a max-heap with lazy deletion gives the
 * best pair. A merge whose bytes equal an existing token reuses that token (tiktoken ranks are
 * keyed by bytes).
 */
public final class BpeTrainer {

    private final PreTokenizer preTokenizer;
    private final Map<String, long[]> pieceCounts = new HashMap<>();

    public BpeTrainer(PreTokenizer preTokenizer) {
        this.preTokenizer = preTokenizer;
    }

    /** Adds a text's pieces to the word counts. */
    public void addText(String text) {
        preTokenizer.split(text, 0, text.length(), (start, end) ->
                pieceCounts.computeIfAbsent(text.substring(start, end), k -> new long[1])[0]++);
    }

    public int uniqueWords() {
        return pieceCounts.size();
    }

    /**
     * Trains up to {@code vocabSize} ranks (256 bytes + merges). Fewer when the corpus runs out of
     * pairs; {@link BpeModel#ranks()} says how many.
     */
    public BpeModel train(int vocabSize) {
        if (vocabSize < 256) {
            throw new IllegalArgumentException("vocab size must be >= 256 (the byte tokens), got " + vocabSize);
        }
        List<byte[]> tokens = new ArrayList<>();
        Map<ByteSequence, Integer> idOfBytes = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            byte[] one = {(byte) b};
            tokens.add(one);
            idOfBytes.put(ByteSequence.of(one), b);
        }
        // Words sorted by text so training does not depend on HashMap iteration order.
        String[] texts = pieceCounts.keySet().toArray(String[]::new);
        Arrays.sort(texts);
        int[][] words = new int[texts.length][];
        long[] counts = new long[texts.length];
        for (int w = 0; w < texts.length; w++) {
            byte[] bytes = texts[w].getBytes(StandardCharsets.UTF_8);
            words[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                words[w][i] = bytes[i] & 0xFF;
            }
            counts[w] = pieceCounts.get(texts[w])[0];
        }
        PairStats stats = new PairStats();
        for (int w = 0; w < words.length; w++) {
            stats.addWord(words[w], counts[w], w);
        }
        PriorityQueue<long[]> heap = new PriorityQueue<>(BpeTrainer::compareEntries);
        stats.forEach((pair, count) -> heap.add(new long[] {count, pair}));
        List<int[]> merges = new ArrayList<>();
        int[] lastVisit = new int[words.length];
        Arrays.fill(lastVisit, -1);
        while (tokens.size() < vocabSize && !heap.isEmpty()) {
            long[] top = heap.poll();
            long pair = top[1];
            if (stats.count(pair) != top[0] || top[0] <= 0) {
                continue;   // stale heap entry
            }
            int left = PairStats.left(pair);
            int right = PairStats.right(pair);
            byte[] joined = concat(tokens.get(left), tokens.get(right));
            ByteSequence key = ByteSequence.of(joined);
            Integer existing = idOfBytes.get(key);
            int newId;
            if (existing != null) {
                newId = existing;
            } else {
                newId = tokens.size();
                tokens.add(joined);
                idOfBytes.put(key, newId);
            }
            merges.add(new int[] {left, right, newId});
            int mergeIndex = merges.size() - 1;
            for (int w : stats.wordsWith(pair)) {
                if (lastVisit[w] == mergeIndex) {
                    continue;
                }
                lastVisit[w] = mergeIndex;
                int[] merged = mergeWord(words[w], left, right, newId);
                if (merged != words[w]) {
                    stats.removeWord(words[w], counts[w]);
                    words[w] = merged;
                    stats.addWord(merged, counts[w], w);
                }
            }
            stats.drop(pair);
            stats.drainChanged(changed -> heap.add(new long[] {stats.count(changed), changed}));
        }
        Map<ByteSequence, Integer> ranks = new LinkedHashMap<>();
        for (int id = 0; id < tokens.size(); id++) {
            ranks.put(ByteSequence.of(tokens.get(id)), id);
        }
        return new BpeModel(ranks, merges);
    }

    /** Highest count first, then smallest (left, right). */
    private static int compareEntries(long[] a, long[] b) {
        int c = Long.compare(b[0], a[0]);
        return c != 0 ? c : Long.compare(a[1], b[1]);
    }

    /** The word with each non-overlapping (left, right) replaced by {@code id}, left to right; the same array if none. */
    static int[] mergeWord(int[] word, int left, int right, int id) {
        int[] out = null;
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                if (out == null) {
                    out = Arrays.copyOf(word, word.length);
                    n = i;
                }
                out[n++] = id;
                i++;
            } else if (out != null) {
                out[n++] = word[i];
            }
        }
        return out == null ? word : Arrays.copyOf(out, n);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
