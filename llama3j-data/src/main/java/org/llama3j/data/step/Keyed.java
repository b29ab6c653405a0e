package org.llama3j.data.step;

/**
 * A signature tagged with its document's position key. Keys order documents globally
 * (task index, then position within the task), which makes "keep first" decisions deterministic.
 */
public record Keyed<S>(long key, S signature) {

    private static final int ORDINAL_BITS = 40;

    public static long key(int task, long ordinal) {
        if (ordinal >= (1L << ORDINAL_BITS)) {
            throw new IllegalArgumentException("document ordinal " + ordinal + " exceeds 2^40 in task " + task);
        }
        return ((long) task << ORDINAL_BITS) | ordinal;
    }

    public static int task(long key) {
        return (int) (key >>> ORDINAL_BITS);
    }

    public static long ordinal(long key) {
        return key & ((1L << ORDINAL_BITS) - 1);
    }
}
