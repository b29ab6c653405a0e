package org.llama3j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackedBatchLoaderTest {

    private static final int X = PackedBatchLoader.IGNORE_INDEX;

    @TempDir
    Path dir;

    private Path shard(String name, int[]... docs) throws IOException {
        Path f = dir.resolve(name);
        try (ShardWriter w = new ShardWriter(f, 100)) {
            for (int[] d : docs) {
                w.addDocument(d);
            }
        }
        return f;
    }

    @Test
    void packsDocumentsWithShiftedTargetsAndMasksDocumentEnds() throws IOException {
        // BOS = 90, EOS = 91. Stream: 90 1 2 91 | 90 3 91 | 90 4 5 6 91
        Path f = shard("train-00000.bin", new int[] {90, 1, 2, 91}, new int[] {90, 3, 91}, new int[] {90, 4, 5, 6, 91});
        try (PackedBatchLoader l = PackedBatchLoader.open(List.of(f), 5, 1)) {
            PackedBatch b = l.next(2);
            // row 0 = window of 6 tokens: 90 1 2 91 90 3
            assertArrayEquals(new int[] {90, 1, 2, 91, 90, /* row 1: */ 91, 90, 4, 5, 6}, b.tokens());
            assertArrayEquals(new int[] {1, 2, 91, X, 3, /* row 1 */ X, 4, 5, 6, 91}, b.targets());
            assertArrayEquals(new int[] {0, 0, 0, 0, 1, /* row 1 */ 0, 1, 1, 1, 1}, b.docIds());
            assertEquals(8, b.targetCount());
            assertEquals(new LoaderPosition(0, 0, 12), l.position());
        }
    }

    @Test
    void crossesShardsAndEpochsAndSeeksBack() throws IOException {
        Path a = shard("a.bin", new int[] {90, 1, 2, 3, 91});
        Path b = shard("b.bin", new int[] {90, 7, 8, 91});
        try (PackedBatchLoader l = PackedBatchLoader.open(List.of(a, b), 3, 42)) {
            List<int[]> rows = new ArrayList<>();
            List<LoaderPosition> positions = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                positions.add(l.position());
                rows.add(concat(l.next(1)));
            }
            l.seek(positions.get(3));
            assertArrayEquals(rows.get(3), concat(l.next(1)));
            assertArrayEquals(rows.get(4), concat(l.next(1)));
            // 9 tokens per epoch, 4 per row: after 6 rows (24 tokens) we are in epoch 2
            assertEquals(2, l.position().epoch());
        }
        // A window spanning two shards never lets a target cross into the other shard's document.
        try (PackedBatchLoader l = PackedBatchLoader.open(List.of(a, b), 8, 42)) {
            PackedBatch p = l.next(1);
            for (int j = 0; j + 1 < 8; j++) {
                if (p.docIds()[j] != p.docIds()[j + 1]) {
                    assertEquals(X, p.targets()[j]);
                }
            }
        }
    }

    @Test
    void shardOrderIsASeededPermutation() {
        int[] o1 = PackedBatchLoader.shardOrder(7, 0, 10);
        int[] o2 = PackedBatchLoader.shardOrder(7, 0, 10);
        int[] o3 = PackedBatchLoader.shardOrder(7, 1, 10);
        assertArrayEquals(o1, o2);
        assertNotEquals(Arrays.toString(o1), Arrays.toString(o3));
        int[] sorted = o1.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    }

    @Test
    void supportsLlama3SequenceLength() throws IOException {
        int[] doc = new int[10000];
        for (int i = 0; i < doc.length; i++) {
            doc[i] = i % 90;
        }
        Path f = shard("long.bin", doc, new int[] {90, 91});
        try (PackedBatchLoader l = PackedBatchLoader.open(List.of(f), 8192, 0)) {
            PackedBatch b = l.next(1);
            assertEquals(8192, b.tokens().length);
            assertEquals(8192, b.targetCount());
            assertEquals(8191 % 90, b.tokens()[8191]);
            assertEquals(8192 % 90, b.targets()[8191]);
        }
    }

    private static int[] concat(PackedBatch b) {
        int n = b.tokens().length;
        int[] out = new int[3 * n];
        System.arraycopy(b.tokens(), 0, out, 0, n);
        System.arraycopy(b.targets(), 0, out, n, n);
        System.arraycopy(b.docIds(), 0, out, 2 * n, n);
        return out;
    }
}
