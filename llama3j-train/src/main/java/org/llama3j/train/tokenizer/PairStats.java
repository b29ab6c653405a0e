package org.llama3j.train.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Adjacent-pair counts over weighted words for {@link BpeTrainer}, with the words each pair occurs
 * in (may hold words that no longer contain it; the trainer re-checks) and the pairs whose count
 * changed since the last {@link #drainChanged}. A pair is packed into a long as {@code left << 32 | right}.
 */
final class PairStats {

    private final Map<Long, long[]> counts = new HashMap<>();
    private final Map<Long, List<Integer>> words = new HashMap<>();
    private final Set<Long> changed = new LinkedHashSet<>();

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }

    void addWord(int[] word, long count, int wordIndex) {
        for (int i = 0; i + 1 < word.length; i++) {
            long p = pair(word[i], word[i + 1]);
            counts.computeIfAbsent(p, k -> new long[1])[0] += count;
            List<Integer> list = words.computeIfAbsent(p, k -> new ArrayList<>());
            if (list.isEmpty() || list.getLast() != wordIndex) {
                list.add(wordIndex);
            }
            changed.add(p);
        }
    }

    void removeWord(int[] word, long count) {
        for (int i = 0; i + 1 < word.length; i++) {
            long p = pair(word[i], word[i + 1]);
            counts.get(p)[0] -= count;
            changed.add(p);
        }
    }

    long count(long pair) {
        long[] c = counts.get(pair);
        return c == null ? 0 : c[0];
    }

    /** A snapshot of the words that may contain the pair. */
    List<Integer> wordsWith(long pair) {
        List<Integer> list = words.get(pair);
        return list == null ? List.of() : new ArrayList<>(list);
    }

    void drop(long pair) {
        counts.remove(pair);
        words.remove(pair);
        changed.remove(pair);
    }

    void forEach(java.util.function.ObjLongConsumer<Long> sink) {
        counts.forEach((p, c) -> sink.accept(p, c[0]));
        changed.clear();
    }

    void drainChanged(LongConsumer sink) {
        for (long p : changed) {
            if (count(p) > 0) {
                sink.accept(p);
            }
        }
        changed.clear();
    }
}
