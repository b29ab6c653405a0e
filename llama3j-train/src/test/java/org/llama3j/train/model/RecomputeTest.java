package org.llama3j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llama3j.train.layers.ChunkedCrossEntropyHead;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.layers.WorkerPool;

/** Activation recomputation: the same loss and bit-identical gradients, with less memory per token. */
class RecomputeTest {

    private static final ModelShape SHAPE = new ModelShape(48, 3, 6, 2, 96, 301, 1e-5f, 500000,
            Optional.of(RopeScaling.LLAMA_3_1), false, 32);
    private static final int B = 2;
    private static final int T = 32;

    private record Pass(float[] losses, float[] grads) {
    }

    /** Two accumulated micro-batches (different data), so recomputation must not leak state between calls. */
    private static Pass run(boolean recompute, int threads) {
        LlamaParameters params = new LlamaParameters(SHAPE);
        params.initialize(5, 0.08);
        SplittableRandom r = new SplittableRandom(9);
        float[] losses = new float[2];
        try (WorkerPool pool = new WorkerPool(threads)) {
            LlamaTrainingModel model = new LlamaTrainingModel(params, pool, 64, recompute);
            params.zeroGrads();
            for (int m = 0; m < losses.length; m++) {
                int[] tokens = new int[B * T];
                int[] targets = new int[B * T];
                int[] docs = new int[B * T];
                for (int i = 0; i < B * T; i++) {
                    tokens[i] = r.nextInt(SHAPE.vocabSize());
                    targets[i] = i % 7 == 3 ? ChunkedCrossEntropyHead.IGNORE_INDEX : r.nextInt(SHAPE.vocabSize());
                    docs[i] = (i % T) < 13 ? 0 : 1;
                }
                losses[m] = model.forwardBackward(tokens, targets, docs, B, T, 0.5f);
            }
        }
        return new Pass(losses, params.grads().clone());
    }

    @Test
    void gradientsAreBitIdenticalWithAndWithoutRecomputation() {
        Pass stored = run(false, 1);
        Pass recomputed = run(true, 1);
        Pass recomputedThreaded = run(true, 3);
        assertArrayEquals(stored.losses(), recomputed.losses());
        assertArrayEquals(stored.grads(), recomputed.grads());
        assertArrayEquals(stored.grads(), recomputedThreaded.grads());
        double norm = 0;
        for (float g : stored.grads()) {
            norm += g * g;
        }
        assertTrue(norm > 1e-6, "gradients must not be trivially zero");
    }

    @Test
    void memoryPerTokenByHandAndAsAllocated() throws IllegalAccessException {
        // The default model's shape (MODEL_CARD): dim 128, 4 layers, 4/2 heads (kvDim 64), ffn 384.
        ModelShape def = new ModelShape(128, 4, 4, 2, 384, 4096, 1e-5f, 500000, Optional.empty(), true, 256);
        // per block 6·128 + 2·64 + 4 + 2 + 3·384 = 2054; head 3·128 + 2 = 386; scratch 4·128 + 2·64 + 3·384 = 1792
        assertEquals(4 * 2054 + 386 + 1792, LlamaTrainingModel.activationFloatsPerToken(def, false));
        assertEquals(4 * 128 + (2054 - 128) + 386 + 1792, LlamaTrainingModel.activationFloatsPerToken(def, true));
        for (boolean recompute : new boolean[] {false, true}) {
            int rows = 5;
            long allocated = allocatedFloats(new ActivationBuffers(SHAPE, rows, recompute));
            assertEquals(rows * LlamaTrainingModel.activationFloatsPerToken(SHAPE, recompute), allocated,
                    "recompute=" + recompute);
        }
    }

    /** Floats in the distinct arrays an {@link ActivationBuffers} holds (shared arrays counted once). */
    private static long allocatedFloats(ActivationBuffers b) throws IllegalAccessException {
        Set<float[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(b, arrays);
        for (LayerActivations l : b.layers) {
            collect(l, arrays);
        }
        return arrays.stream().mapToLong(a -> a.length).sum();
    }

    private static void collect(Object o, Set<float[]> into) throws IllegalAccessException {
        for (Field f : o.getClass().getDeclaredFields()) {
            if (f.getType() == float[].class) {
                f.setAccessible(true);
                into.add((float[]) f.get(o));
            }
        }
    }
}
