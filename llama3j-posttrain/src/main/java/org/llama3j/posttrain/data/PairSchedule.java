package org.llama3j.posttrain.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which examples a step uses, as a pure function of the step (so a resumed run replays the same
 * batches): each epoch is a seeded shuffle of {@code 0..count−1} cut into batches of {@code perBatch}
 * (the last batch of an epoch may be smaller).
 */
public record PairSchedule(int count, int perBatch, long seed) {

    public PairSchedule {
        if (count < 1 || perBatch < 1) {
            throw new IllegalArgumentException("need at least one example and batch size >= 1");
        }
    }

    public int batchesPerEpoch() {
        return (count + perBatch - 1) / perBatch;
    }

    public List<Integer> batch(int step) {
        int epoch = step / batchesPerEpoch();
        int index = step % batchesPerEpoch();
        List<Integer> order = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order.subList(index * perBatch, Math.min(count, (index + 1) * perBatch));
    }

    /** Contiguous batches {@code [0, perBatch), …} for evaluation and precomputation. */
    public static List<List<Integer>> inOrder(int count, int perBatch) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < count; i += perBatch) {
            List<Integer> b = new ArrayList<>();
            for (int j = i; j < Math.min(count, i + perBatch); j++) {
                b.add(j);
            }
            out.add(b);
        }
        return out;
    }

    public static <T> List<T> select(List<T> items, List<Integer> indices) {
        List<T> out = new ArrayList<>(indices.size());
        for (int i : indices) {
            out.add(items.get(i));
        }
        return out;
    }
}
