package org.llama3j.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llama3j.train.layers.WorkerPool;

/**
 * The post-training entry points of {@link LlamaTrainingModel}: per-token log-probabilities,
 * backward from per-token coefficients, and backward from a hidden-state gradient.
 */
class PerTokenLossTest {

    private static final ModelShape SHAPE = new ModelShape(16, 2, 4, 2, 24, 41, 1e-5f, 10000,
            Optional.empty(), false, 8);
    private static final int[] TOKENS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    private static final int[] TARGETS = {2, 3, -100, 5, 6, 7, 8, 40, 0, 11, 12, -100};
    private static final int[] DOCS = {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0};

    private static LlamaTrainingModel model() {
        LlamaParameters p = new LlamaParameters(SHAPE);
        p.initialize(5, 0.1);
        return new LlamaTrainingModel(p, WorkerPool.serial(), 7);
    }

    @Test
    void logProbsAreLogSoftmaxOfTheLogitsAtTheTargets() {
        LlamaTrainingModel m = model();
        float[] logits = m.logits(TOKENS, DOCS, 2, 6);
        float[] lp = m.forwardLogProbs(TOKENS, TARGETS, DOCS, 2, 6);
        int v = SHAPE.vocabSize();
        for (int n = 0; n < TOKENS.length; n++) {
            if (TARGETS[n] < 0) {
                assertEquals(0f, lp[n]);
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, logits[n * v + j]);
            }
            double sum = 0;
            for (int j = 0; j < v; j++) {
                sum += Math.exp(logits[n * v + j] - max);
            }
            assertEquals(logits[n * v + TARGETS[n]] - max - Math.log(sum), lp[n], 1e-5);
        }
    }

    @Test
    void uniformCoefficientsGiveTheMeanLossGradient() {
        LlamaTrainingModel mean = model();
        mean.forwardBackward(TOKENS, TARGETS, DOCS, 2, 6);
        LlamaTrainingModel weighted = model();
        weighted.forwardLogProbs(TOKENS, TARGETS, DOCS, 2, 6);
        float[] dLogProbs = new float[TOKENS.length];
        for (int n = 0; n < dLogProbs.length; n++) {
            dLogProbs[n] = TARGETS[n] < 0 ? 0f : -1f / 10;  // L = mean(−log p) over 10 targets
        }
        weighted.backwardFromLogProbs(TOKENS, TARGETS, DOCS, 2, 6, dLogProbs, null);
        assertArrayEquals(mean.parameters().grads(), weighted.parameters().grads(), 1e-7f);
    }

    /**
     * L = Σ_n c_n·log p_n + Σ u·h (a weighted token term plus a linear function of the hidden
     * states) against central differences of L over a few weights of each kind.
     */
    @Test
    void gradientOfTokenAndHiddenTermsMatchesFiniteDifferences() {
        LlamaTrainingModel m = model();
        LlamaParameters p = m.parameters();
        float[] c = new float[TOKENS.length];
        for (int n = 0; n < c.length; n++) {
            c[n] = TARGETS[n] < 0 ? 0f : (n % 3 - 1) * 0.7f + 0.2f;
        }
        float[] u = new float[TOKENS.length * SHAPE.dim()];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) Math.sin(i * 0.37);
        }
        p.zeroGrads();
        m.forwardLogProbs(TOKENS, TARGETS, DOCS, 2, 6);
        m.backwardFromLogProbs(TOKENS, TARGETS, DOCS, 2, 6, c, u);
        float[] analytic = p.grads().clone();
        float[] w = p.values();
        double h = 3e-3;
        for (ParameterView view : p.views()) {
            for (int k = 0; k < 3; k++) {
                int i = view.offset() + (k * 7919) % view.size();
                float saved = w[i];
                w[i] = (float) (saved + h);
                double plus = objective(m, c, u);
                w[i] = (float) (saved - h);
                double minus = objective(m, c, u);
                w[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, analytic[i], 2e-3 + 2e-3 * Math.abs(numeric), view.name() + "[" + i + "]");
            }
        }
    }

    private static double objective(LlamaTrainingModel m, float[] c, float[] u) {
        float[] lp = m.forwardLogProbs(TOKENS, TARGETS, DOCS, 2, 6);
        float[] hidden = m.finalHidden();
        double sum = 0;
        for (int n = 0; n < lp.length; n++) {
            sum += (double) c[n] * lp[n];
        }
        for (int i = 0; i < u.length; i++) {
            sum += (double) u[i] * hidden[i];
        }
        return sum;
    }
}
