package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class ChunkedCrossEntropyHeadTest {

    private static final int ROWS = 6;
    private static final int DIM = 5;
    private static final int VOCAB = 13;
    private static final int[] TARGETS = {3, 12, ChunkedCrossEntropyHead.IGNORE_INDEX, 0, 7, 12};

    @Test
    void lossMatchesNaiveDoubleComputation() {
        SplittableRandom r = new SplittableRandom(10);
        float[] h = GradCheck.randn(r, ROWS * DIM, 1);
        float[] w = GradCheck.randn(r, VOCAB * DIM, 1);
        double expected = 0;
        int count = 0;
        for (int n = 0; n < ROWS; n++) {
            if (TARGETS[n] < 0) {
                continue;
            }
            double[] logits = new double[VOCAB];
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < VOCAB; v++) {
                for (int i = 0; i < DIM; i++) {
                    logits[v] += (double) h[n * DIM + i] * w[v * DIM + i];
                }
                max = Math.max(max, logits[v]);
            }
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            expected += max + Math.log(sum) - logits[TARGETS[n]];
            count++;
        }
        expected /= count;
        for (int chunk : new int[] {1, 4, 5, 13, 100}) {
            float loss = new ChunkedCrossEntropyHead(DIM, VOCAB, chunk)
                    .forward(WorkerPool.serial(), h, w, 0, TARGETS, new float[ROWS]);
            assertEquals(expected, loss, 1e-5 * Math.abs(expected), "chunk " + chunk);
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesAndIsChunkIndependent() {
        SplittableRandom r = new SplittableRandom(11);
        float[] h = GradCheck.randn(r, ROWS * DIM, 1);
        float[] w = GradCheck.randn(r, VOCAB * DIM, 1);
        ChunkedCrossEntropyHead head = new ChunkedCrossEntropyHead(DIM, VOCAB, 4);
        float[] lse = new float[ROWS];
        DoubleSupplier loss = () -> head.forward(WorkerPool.serial(), h, w, 0, TARGETS, lse);
        loss.getAsDouble();
        float[] dh = new float[h.length];
        float[] dw = new float[w.length];
        head.backward(WorkerPool.serial(), h, w, 0, TARGETS, lse, 1f, dh, dw, 0);
        GradCheck.assertGradient("head dH", dh, GradCheck.numeric(h, loss));
        GradCheck.assertGradient("head dW", dw, GradCheck.numeric(w, loss));
        // the ignored row gets no gradient
        for (int i = 2 * DIM; i < 3 * DIM; i++) {
            assertEquals(0f, dh[i]);
        }
        ChunkedCrossEntropyHead whole = new ChunkedCrossEntropyHead(DIM, VOCAB, VOCAB);
        float[] dh2 = new float[h.length];
        float[] dw2 = new float[w.length];
        whole.forward(WorkerPool.serial(), h, w, 0, TARGETS, lse);
        whole.backward(WorkerPool.serial(), h, w, 0, TARGETS, lse, 1f, dh2, dw2, 0);
        assertArrayEquals(dh2, dh, 1e-6f);
        assertArrayEquals(dw2, dw, 1e-6f);
    }

    @Test
    void forwardBackwardGivesTheBitsOfForwardThenBackward() {
        SplittableRandom r = new SplittableRandom(12);
        float[] h = GradCheck.randn(r, ROWS * DIM, 1);
        float[] w = GradCheck.randn(r, VOCAB * DIM, 1);
        for (int chunk : new int[] {4, VOCAB}) {   // recomputed chunks, and one kept chunk
            ChunkedCrossEntropyHead head = new ChunkedCrossEntropyHead(DIM, VOCAB, chunk);
            float[] lse = new float[ROWS];
            float[] dh = new float[h.length];
            float[] dw = new float[w.length];
            float loss = head.forward(WorkerPool.serial(), h, w, 0, TARGETS, lse);
            head.backward(WorkerPool.serial(), h, w, 0, TARGETS, lse, 0.5f, dh, dw, 0);
            float[] lse2 = new float[ROWS];
            float[] dh2 = new float[h.length];
            float[] dw2 = new float[w.length];
            float loss2 = head.forwardBackward(WorkerPool.serial(), h, w, 0, TARGETS, lse2, 0.5f, dh2, dw2, 0);
            assertEquals(loss, loss2);
            assertArrayEquals(lse, lse2);
            assertArrayEquals(dh, dh2);
            assertArrayEquals(dw, dw2);
        }
    }

    @Test
    void allIgnoredGivesNaNLossAndNoGradient() {
        ChunkedCrossEntropyHead head = new ChunkedCrossEntropyHead(2, 3, 2);
        int[] targets = {ChunkedCrossEntropyHead.IGNORE_INDEX};
        float loss = head.forward(WorkerPool.serial(), new float[] {1, 2}, new float[6], 0, targets, new float[1]);
        assertTrue(Float.isNaN(loss));
        float[] dw = new float[6];
        head.backward(WorkerPool.serial(), new float[] {1, 2}, new float[6], 0, targets, new float[1], 1f,
                new float[2], dw, 0);
        assertArrayEquals(new float[6], dw);
    }

    @Test
    void rejectsTargetOutsideVocabulary() {
        ChunkedCrossEntropyHead head = new ChunkedCrossEntropyHead(2, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> head.forward(WorkerPool.serial(), new float[2], new float[6], 0, new int[] {3}, new float[1]));
        assertEquals("target 3 at position 0 outside [0, 3) and not the ignore index -100", e.getMessage());
    }
}
