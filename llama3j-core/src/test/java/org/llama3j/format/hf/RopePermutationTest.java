package org.llama3j.format.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RopePermutationTest {

    private static float[] iota(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void matchesConvertHfToGgufPermute() {
        // numpy: np.arange(12).reshape(2, 2, 3).swapaxes(1, 2).reshape(12) (n_head 2, head size 6)
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11},
                RopePermutation.toInterleaved(iota(12), 12, 1, 2));
        // rows move whole: np.arange(16).reshape(8, 2) permuted with n_head 2 (head size 4)
        assertArrayEquals(new float[] {0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15},
                RopePermutation.toInterleaved(iota(16), 8, 2, 2));
        assertEquals(3, RopePermutation.hfRowForInterleaved(1, 12, 2));
        assertEquals(1, RopePermutation.interleavedRowForHf(3, 12, 2));
    }

    @Test
    void permutationsAreInverses() {
        Random r = new Random(5);
        int rows = 8 * 64;
        int cols = 3;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat();
        }
        for (int heads : new int[] {1, 2, 8, 32}) {
            float[] p = RopePermutation.toInterleaved(w, rows, cols, heads);
            assertArrayEquals(w, RopePermutation.toHalfSplit(p, rows, cols, heads));
            assertArrayEquals(w, RopePermutation.toInterleaved(RopePermutation.toHalfSplit(w, rows, cols, heads),
                    rows, cols, heads));
        }
        // the byte version moves the same rows
        MemorySegment seg = MemorySegment.ofArray(w.clone());
        MemorySegment moved = RopePermutation.toInterleaved(seg, rows, 4L * cols, 8);
        assertArrayEquals(RopePermutation.toInterleaved(w, rows, cols, 8), moved.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED));
        assertArrayEquals(w, RopePermutation.toHalfSplit(moved, rows, 4L * cols, 8).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED));
    }

    @Test
    void rejectsShapesThatDoNotSplitIntoHeads() {
        assertThrows(IllegalArgumentException.class, () -> RopePermutation.toInterleaved(iota(12), 12, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> RopePermutation.toInterleaved(iota(6), 6, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> RopePermutation.toInterleaved(iota(12), 6, 1, 3));
    }
}
