package org.llama3j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.optim.AdamW;
import org.llama3j.train.optim.AdamWConfig;
import org.llama3j.train.optim.WarmupCosineSchedule;
import org.llama3j.train.optim.WeightDecayScope;

/**
 * The whole training step against PyTorch: {@code scripts/oracle/train_reference.py} runs the
 * same tiny Llama (B=2, T=16, two documents per row, dim 32, 2 layers, 4 heads / 2 kv heads,
 * ffn 64, vocab 97) in float64 and stores loss, logits, every gradient and the weights after 10
 * AdamW steps with clipping and the warmup-cosine schedule. FP32 here must agree to a normwise
 * relative error of 1e-4 per tensor.
 */
class PyTorchGoldenTest {

    private static final double TOLERANCE = 1e-4;
    /** Worst relative error per kind of tensor, printed so the margin is visible in the test log. */
    private static final java.util.Map<String, Double> WORST = new java.util.TreeMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"tiny_untied", "tiny_tied"})
    void matchesPyTorch(String variant) throws IOException {
        GoldenFile g = GoldenFile.load("/golden/" + variant + ".bin");
        ModelShape shape = shapeOf(g);
        LlamaParameters params = new LlamaParameters(shape);
        for (ParameterView v : params.views()) {
            params.set(v.name(), g.floats("input." + v.name()));
        }
        int batch = g.intValue("config.batch");
        int seqLen = g.intValue("config.seq_len");
        int[] tokens = g.ints("batch.tokens");
        int[] targets = g.ints("batch.targets");
        int[] docs = g.ints("batch.doc_ids");
        try (WorkerPool pool = new WorkerPool(2)) {
            // small vocab chunk so the online log-sum-exp crosses several chunks (97 = 3·32 + 1)
            LlamaTrainingModel model = new LlamaTrainingModel(params, pool, 32);

            assertClose("logits", g.floats("logits"), model.logits(tokens, docs, batch, seqLen));
            params.zeroGrads();
            float loss = model.forwardBackward(tokens, targets, docs, batch, seqLen);
            assertClose("loss", g.floats("loss"), new float[] {loss});
            for (ParameterView v : params.views()) {
                assertClose("grad." + v.name(), g.floats("grad." + v.name()), params.gradOf(v.name()));
            }

            AdamWConfig adam = new AdamWConfig(g.floatValue("config.beta1"), g.floatValue("config.beta2"),
                    g.floatValue("config.eps"), g.floatValue("config.weight_decay"), WeightDecayScope.MATRICES);
            WarmupCosineSchedule schedule = new WarmupCosineSchedule(g.floatValue("config.max_lr"),
                    g.intValue("config.warmup"), g.intValue("config.total_steps"), g.floatValue("config.min_lr_ratio"));
            TrainStepper stepper = new TrainStepper(model, new AdamW(params, adam, pool), schedule,
                    g.floatValue("config.clip"));
            int steps = g.intValue("config.steps");
            float[] losses = new float[steps];
            float[] norms = new float[steps];
            for (int s = 0; s < steps; s++) {
                StepResult r = stepper.step(tokens, targets, docs, batch, seqLen);
                losses[s] = r.loss();
                norms[s] = (float) r.gradNorm();
            }
            assertClose("losses", g.floats("losses"), losses);
            assertClose("grad_norms", g.floats("grad_norms"), norms);
            assertTrue(norms[steps - 1] > g.floatValue("config.clip"), "clipping must be active in the oracle run");
            for (ParameterView v : params.views()) {
                assertClose("step10." + v.name(), g.floats("step10." + v.name()), params.copyOf(v.name()));
            }
            System.out.println(variant + " worst relative errors vs PyTorch: " + WORST);
            WORST.clear();
        }
    }

    static ModelShape shapeOf(GoldenFile g) {
        Optional<RopeScaling> scaling = Optional.empty();
        if (g.has("config.rope_scaling")) {
            float[] s = g.floats("config.rope_scaling");
            scaling = Optional.of(new RopeScaling(s[0], s[1], s[2], (int) s[3]));
        }
        return new ModelShape(g.intValue("config.dim"), g.intValue("config.n_layers"), g.intValue("config.n_heads"),
                g.intValue("config.n_kv_heads"), g.intValue("config.ffn_dim"), g.intValue("config.vocab"),
                g.floatValue("config.norm_eps"), g.floatValue("config.rope_theta"), scaling,
                g.intValue("config.tied") != 0, g.intValue("config.max_seq_len"));
    }

    /** Asserts max|actual − expected| ≤ TOLERANCE · max|expected| over the tensor. */
    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        assertTrue(maxRef > 0, what + ": expected tensor is all zeros");
        double rel = maxDiff / maxRef;
        WORST.merge(what.contains(".") ? what.substring(0, what.indexOf('.')) : what, rel, Math::max);
        assertTrue(rel <= TOLERANCE, what + ": relative error " + rel + " > " + TOLERANCE
                + " (max diff " + maxDiff + ", max |expected| " + maxRef + ")");
    }
}
