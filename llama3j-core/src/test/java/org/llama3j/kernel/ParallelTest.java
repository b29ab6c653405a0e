package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker pool: every index exactly once, tile-aligned splits, shrinking claims, nested calls inline, failures rethrown. */
class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyIndexRunsExactlyOnceOverManyCalls() {
        Parallel.setThreads(3);
        for (int n : new int[] {1, 2, 3, 7, 64, 1000}) {
            for (int rep = 0; rep < 200; rep++) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                Parallel.forRange(n, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "n=" + n + " index " + i);
                }
            }
        }
    }

    @Test
    void unitSplitsStartOnWholeTiles() {
        Parallel.setThreads(2);
        int n = 130, unit = 32;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        Parallel.forUnits(n, unit, 1, (from, to) -> {
            assertEquals(0, from % unit, "range start " + from);
            assertTrue(to == n || to % unit == 0, "range end " + to);
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
    }

    @Test
    void claimedRangesShrinkTowardsTheEnd() {
        Parallel.setThreads(2);
        int n = 4096;
        List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
        Parallel.forRange(n, 1, (from, to) -> ranges.add(new int[] {from, to}));
        ranges.sort(Comparator.comparingInt(r -> r[0]));
        // guided self-scheduling: each claim is a quarter of what is left (2 threads), at least n/32
        assertEquals(n / 4, ranges.get(0)[1] - ranges.get(0)[0], "first claim");
        assertEquals(n, ranges.get(ranges.size() - 1)[1]);
        for (int i = 1; i < ranges.size(); i++) {
            int size = ranges.get(i)[1] - ranges.get(i)[0];
            assertEquals(ranges.get(i - 1)[1], ranges.get(i)[0], "ranges are contiguous");
            assertTrue(size <= ranges.get(i - 1)[1] - ranges.get(i - 1)[0], "claim " + i + " grew: " + size);
            assertTrue(size >= n / 32 || i == ranges.size() - 1, "claim " + i + " below the minimum: " + size);
        }
        assertTrue(ranges.get(ranges.size() - 1)[1] - ranges.get(ranges.size() - 1)[0] <= n / 32, "last claim");
    }

    @Test
    void nestedLoopsRunInlineWithoutDeadlock() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(16 * 16);
        Parallel.forRange(16, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                Parallel.forRange(16, 1, (f2, t2) -> {
                    for (int j = f2; j < t2; j++) {
                        hits.incrementAndGet(row * 16 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 256; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void aWorkersExceptionReachesTheCaller() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (from, to) -> {
            if (from > 0) {
                throw new IllegalStateException("slice from " + from);
            }
        }));
        // pieces are claimed dynamically, so which failing piece is reported varies
        assertTrue(e.getMessage().startsWith("slice from "), e.getMessage());
        // the pool still works afterwards
        AtomicIntegerArray hits = new AtomicIntegerArray(10);
        Parallel.forRange(10, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 10; i++) {
            assertEquals(1, hits.get(i));
        }
    }
}
