package org.llama3j.train.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.model.lora.LoraAdapter;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.PeftAdapter;
import org.llama3j.model.lora.Projection;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.ParameterView;
import org.llama3j.train.model.TrainConfig;
import org.llama3j.train.model.TrainStepper;
import org.llama3j.train.optim.WarmupCosineSchedule;
import org.llama3j.train.optim.AdamW;
import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.GradientClipping;
import org.llama3j.train.optim.WeightDecayScope;

class LoraTrainingTest {
    static final ModelShape SHAPE = new ModelShape(32, 2, 4, 2, 64, 48, 1e-5f, 10000, Optional.empty(), false, 32);
    static final LoraConfig ALL = new LoraConfig(8, 16f, 0f, EnumSet.allOf(Projection.class));
    static final int B = 4;
    static final int T = 16;

    @TempDir
    Path tmp;

    static LlamaParameters base() {
        LlamaParameters p = new LlamaParameters(SHAPE);
        p.initialize(11, 0.1);
        return p.frozen();
    }

    /**
     * An SFT-like toy task: rows of (prompt token x, answer f(x)) pairs with f(x) = (7x + 3) mod 48;
     * only answers are targets (prompt positions are ignore index −100), like assistant-only loss.
     */
    static int[][] batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] tokens = new int[B * T];
        int[] targets = new int[B * T];
        for (int i = 0; i < B * T; i += 2) {
            int x = r.nextInt(48);
            tokens[i] = x;
            tokens[i + 1] = (7 * x + 3) % 48;
            targets[i] = (7 * x + 3) % 48;
            targets[i + 1] = -100;
        }
        return new int[][] {tokens, targets, new int[B * T]};
    }

    @Test
    void freshAdapterIsPeftInitialisedAndStartsAtTheBase() {
        LlamaParameters base = base();
        try (WorkerPool pool = new WorkerPool(1)) {
            LoraTrainingModel lora = LoraTrainingModel.create(base, ALL, 5, pool);
            int[][] b = batch(1);
            float[] plain = new LlamaTrainingModel(base, pool).logits(b[0], b[2], B, T);
            assertArrayEquals(plain, lora.logits(b[0], b[2], B, T), "B = 0: adapted logits equal the base's bit for bit");
            LoraParameters p = lora.trainableParameters();
            for (ParameterView v : p.views()) {
                float[] w = Arrays.copyOfRange(p.values(), v.offset(), v.offset() + v.size());
                double max = 0;
                for (float x : w) {
                    max = Math.max(max, Math.abs(x));
                }
                if (v.name().endsWith("lora_b")) {
                    assertEquals(0, max, v.name());
                } else {   // Kaiming-uniform(a = √5): U(−1/√in, 1/√in), and not degenerate
                    double bound = 1 / Math.sqrt(v.shape()[1]);
                    assertTrue(max <= bound && max > 0.8 * bound, v.name() + " max " + max + " bound " + bound);
                }
            }
            // 2 layers × r 8 × (q 32+32, k 32+16, v 32+16, o 32+32, gate 32+64, up 32+64, down 64+32)
            assertEquals(2 * 8 * (64 + 48 + 48 + 64 + 96 + 96 + 96), p.size());
            LoraMemory m = lora.memory();
            assertEquals(4L * base.size(), m.baseWeights());
            assertEquals(16L * p.size(), m.adapterWeights() + m.adapterGradients() + m.optimizerState());
            assertNull(lora.base().grads());
        }
    }

    static float train(LoraTrainingModel lora, int steps, WorkerPool pool) {
        AdamW adam = new AdamW(lora.trainableParameters(), new AdamWConfig(0.9f, 0.999f, 1e-8f, 0f,
                WeightDecayScope.MATRICES), pool);
        float last = 0;
        for (int s = 0; s < steps; s++) {
            int[][] b = batch(100 + s);
            lora.trainableParameters().zeroGrads();
            last = lora.forwardBackward(b[0], b[1], b[2], B, T);
            GradientClipping.clip(lora.trainableParameters().grads(), 1.0);
            adam.step(1e-2f);
        }
        return last;
    }

    @Test
    void sftLikeRunLowersHeldOutLossAndLeavesTheBaseBitIdentical() {
        LlamaParameters base = base();
        float[] before = base.values().clone();
        try (WorkerPool pool = new WorkerPool(2)) {
            LoraTrainingModel lora = LoraTrainingModel.create(base, ALL, 5, pool);
            int[][] heldOut = batch(999);
            float start = lora.forward(heldOut[0], heldOut[1], heldOut[2], B, T);
            train(lora, 120, pool);
            float end = lora.forward(heldOut[0], heldOut[1], heldOut[2], B, T);
            System.out.printf("LoRA toy SFT: held-out loss %.4f -> %.4f after 120 steps%n", start, end);
            assertTrue(start > 3.5 && end < 0.4 * start, "held-out loss " + start + " -> " + end);
            assertArrayEquals(before, base.values(), "base weights must stay bit-identical");

            // the merged model computes the same function (1e-5 of the logit scale)
            LlamaTrainingModel merged = new LlamaTrainingModel(lora.mergedParameters(), pool);
            float[] a = lora.logits(heldOut[0], heldOut[2], B, T);
            float[] m = merged.logits(heldOut[0], heldOut[2], B, T);
            assertTrue(maxAbsDiff(a, m) <= 1e-5 * maxAbs(a), "merged vs adapter " + maxAbsDiff(a, m));
        }
    }

    @Test
    void peftRoundTripGivesTheSameModel() throws Exception {
        LlamaParameters base = base();
        try (WorkerPool pool = new WorkerPool(2)) {
            LoraTrainingModel lora = LoraTrainingModel.create(base, new LoraConfig(4, 8f, 0.1f,
                    EnumSet.of(Projection.Q, Projection.V, Projection.DOWN)), 5, pool);
            TrainConfig cfg = new TrainConfig(SHAPE, new AdamWConfig(0.9f, 0.999f, 1e-8f, 0f, WeightDecayScope.MATRICES),
                    new WarmupCosineSchedule(1e-2f, 1, 5, 0.1f), 1.0, 2, 0);
            TrainStepper stepper = lora.stepper(cfg, pool);
            int[][] s0 = batch(7);
            float first = stepper.step(s0[0], s0[1], s0[2], B, T).loss();
            for (int i = 0; i < 4; i++) {
                stepper.step(s0[0], s0[1], s0[2], B, T);
            }
            assertTrue(lora.forward(s0[0], s0[1], s0[2], B, T) < first, "the stepper trains the adapter");
            Path dir = tmp.resolve("adapter");
            lora.save(dir, "toy");
            LoraAdapter back = PeftAdapter.read(dir, LoraParameters.baseOf(SHAPE));
            LoraTrainingModel again = LoraTrainingModel.of(base, back, pool, LlamaTrainingModel.DEFAULT_VOCAB_CHUNK);
            assertArrayEquals(lora.trainableParameters().values(), again.trainableParameters().values());
            int[][] b = batch(3);
            assertArrayEquals(lora.logits(b[0], b[2], B, T), again.logits(b[0], b[2], B, T));
        }
    }

    @Test
    void dropoutOnlyInTrainingModeAndGradientsStillExact() {
        LlamaParameters base = base();
        try (WorkerPool pool = new WorkerPool(1)) {
            LoraConfig c = new LoraConfig(4, 8f, 0.5f, EnumSet.of(Projection.Q, Projection.UP));
            LoraTrainingModel lora = LoraTrainingModel.create(base, c, 5, pool);
            train(lora, 3, pool);   // makes B non-zero
            int[][] b = batch(4);
            float eval1 = lora.logits(b[0], b[2], B, T)[7];
            float eval2 = lora.logits(b[0], b[2], B, T)[7];
            assertEquals(eval1, eval2);
            float train1 = lora.forward(b[0], b[1], b[2], B, T);
            float train2 = lora.forward(b[0], b[1], b[2], B, T);
            assertTrue(train1 != train2, "a fresh dropout mask per forward pass");
            lora.setTraining(false);
            assertEquals(lora.forward(b[0], b[1], b[2], B, T), lora.forward(b[0], b[1], b[2], B, T));
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
