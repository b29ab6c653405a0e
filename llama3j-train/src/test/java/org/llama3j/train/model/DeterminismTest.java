package org.llama3j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.WarmupCosineSchedule;

/** Same seed ⇒ same bits, for 1 thread, 3 threads, and repeated runs. */
class DeterminismTest {

    private static final ModelShape SHAPE = new ModelShape(48, 2, 6, 2, 96, 301, 1e-5f, 500000,
            Optional.of(RopeScaling.LLAMA_3_1), false, 32);
    private static final int B = 2;
    private static final int T = 32;

    private record Run(float[] weights, float[] losses) {
    }

    private static Run train(long seed, int threads) {
        LlamaParameters params = new LlamaParameters(SHAPE);
        params.initialize(seed, 0.05);
        SplittableRandom r = new SplittableRandom(seed + 1);
        int[] tokens = new int[B * T];
        int[] targets = new int[B * T];
        int[] docs = new int[B * T];
        for (int i = 0; i < B * T; i++) {
            tokens[i] = r.nextInt(SHAPE.vocabSize());
            targets[i] = r.nextInt(SHAPE.vocabSize());
            docs[i] = (i % T) < 11 ? 0 : ((i % T) < 20 ? 1 : 2);
        }
        try (WorkerPool pool = new WorkerPool(threads)) {
            LlamaTrainingModel model = new LlamaTrainingModel(params, pool, 64);
            TrainConfig config = new TrainConfig(SHAPE, AdamWConfig.LLAMA3, new WarmupCosineSchedule(1e-3f, 2, 5, 0.1f),
                    TrainConfig.LLAMA3_GRAD_CLIP, threads, seed);
            TrainStepper stepper = TrainStepper.of(config, model, pool);
            float[] losses = new float[4];
            for (int s = 0; s < losses.length; s++) {
                losses[s] = stepper.step(tokens, targets, docs, B, T).loss();
            }
            return new Run(params.values().clone(), losses);
        }
    }

    @Test
    void sameSeedGivesIdenticalBitsForAnyThreadCount() {
        Run serial = train(42, 1);
        Run again = train(42, 1);
        Run threaded = train(42, 3);
        assertArrayEquals(serial.losses(), again.losses());
        assertArrayEquals(serial.weights(), again.weights());
        assertArrayEquals(serial.losses(), threaded.losses());
        assertArrayEquals(serial.weights(), threaded.weights());
        assertNotEquals(serial.losses()[0], serial.losses()[3], "training must move the loss");
    }

    @Test
    void differentSeedGivesDifferentWeights() {
        assertNotEquals(train(1, 1).losses()[0], train(2, 1).losses()[0]);
        LlamaParameters a = new LlamaParameters(SHAPE);
        a.initialize(7, 0.02);
        assertEquals(1f, a.copyOf("blk.1.ffn_norm.weight")[5]);
    }
}
