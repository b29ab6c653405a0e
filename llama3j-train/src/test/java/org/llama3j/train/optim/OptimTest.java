package org.llama3j.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;

class OptimTest {

    @Test
    void scheduleWarmsUpLinearlyThenFollowsCosineToTheFloor() {
        WarmupCosineSchedule s = new WarmupCosineSchedule(1f, 4, 14, 0.1f);
        assertEquals(0.25f, s.lr(0));
        assertEquals(1f, s.lr(3));
        assertEquals(1f, s.lr(4));            // cosine starts at the peak
        assertEquals(0.55f, s.lr(9), 1e-7f);  // half way: (1 + 0.1) / 2
        assertEquals(0.1f, s.lr(14), 1e-7f);
        assertEquals(0.1f, s.lr(1000), 1e-7f);
        // 0.1 + 0.9·0.5·(1 + cos(π/10))
        assertEquals((float) (0.1 + 0.45 * (1 + Math.cos(Math.PI / 10))), s.lr(5), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1f, 5, 5, 0.1f));
    }

    @Test
    void clippingScalesToMaxNormOnlyWhenAbove() {
        float[] g = {3, 4};
        assertEquals(5.0, GradientClipping.clip(g, 1.0), 1e-12);
        assertArrayEquals(new float[] {(float) (3 / (5 + 1e-6)), (float) (4 / (5 + 1e-6))}, g);
        float[] small = {0.3f, 0.4f};
        GradientClipping.clip(small, 1.0);
        assertArrayEquals(new float[] {0.3f, 0.4f}, small);
    }

    private static final ModelShape TINY = new ModelShape(2, 1, 1, 1, 1, 3, 1e-5f, 10000, Optional.empty(), false, 4);

    /** One step from p = 1, g = 0.5, lr 0.1, wd 0.1: m̂ = 0.5, v̂ = 0.25, update 1 ⇒ p = 1·(1 − 0.01) − 0.1. */
    private static float[] stepOnce(WeightDecayScope scope, String name) {
        LlamaParameters p = new LlamaParameters(TINY);
        Arrays.fill(p.values(), 1f);
        Arrays.fill(p.grads(), 0.5f);
        new AdamW(p, new AdamWConfig(0.9f, 0.95f, 1e-8f, 0.1f, scope), WorkerPool.serial()).step(0.1f);
        return p.copyOf(name);
    }

    @Test
    void adamWFirstStepMatchesHandComputation() {
        float decayed = 0.89f;
        float plain = 0.9f;
        assertEquals(decayed, stepOnce(WeightDecayScope.MATRICES, "blk.0.attn_q.weight")[0], 1e-6f);
        assertEquals(decayed, stepOnce(WeightDecayScope.MATRICES, "token_embd.weight")[0], 1e-6f);
        assertEquals(plain, stepOnce(WeightDecayScope.MATRICES, "blk.0.attn_norm.weight")[0], 1e-6f);
        assertEquals(plain, stepOnce(WeightDecayScope.MATRICES_EXCEPT_EMBEDDINGS, "token_embd.weight")[0], 1e-6f);
        assertEquals(decayed, stepOnce(WeightDecayScope.MATRICES_EXCEPT_EMBEDDINGS, "output.weight")[0], 1e-6f);
        assertEquals(decayed, stepOnce(WeightDecayScope.ALL, "output_norm.weight")[0], 1e-6f);
    }
}
