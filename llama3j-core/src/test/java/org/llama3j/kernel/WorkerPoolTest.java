package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Pools the training code owns: every index once, nested loops inline, a closed pool says so. */
class WorkerPoolTest {

    @Test
    void ownPoolCoversEveryIndexOnceAlsoWhenNested() {
        try (WorkerPool pool = new WorkerPool(3)) {
            assertEquals(3, pool.threads());
            AtomicIntegerArray hits = new AtomicIntegerArray(40 * 40);
            pool.forRange(40, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int row = i;
                    // from slice 0 (the caller) and from the workers alike: inline, no deadlock
                    pool.forRange(40, 1, (f2, t2) -> {
                        for (int j = f2; j < t2; j++) {
                            hits.incrementAndGet(row * 40 + j);
                        }
                    });
                }
            });
            for (int i = 0; i < hits.length(); i++) {
                assertEquals(1, hits.get(i), "index " + i);
            }
        }
    }

    @Test
    void closedPoolRefusesWorkButSerialKeepsRunning() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forRange(100, 1, (f, t) -> { }));
        assertEquals("WorkerPool is closed", e.getMessage());
        WorkerPool.serial().close();
        int[] sum = new int[1];
        WorkerPool.serial().forRange(5, 1, (f, t) -> sum[0] += t - f);
        assertEquals(5, sum[0]);
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }
}
