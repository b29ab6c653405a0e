package org.llama3j.posttrain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.llama3j.posttrain.data.TokenBatch;
import org.llama3j.posttrain.dpo.DpoConfig;
import org.llama3j.posttrain.dpo.DpoLoss;
import org.llama3j.posttrain.model.ScalarHead;
import org.llama3j.posttrain.reward.RewardLoss;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.model.ParameterView;

/**
 * DPO and reward-model losses and gradients against {@code scripts/oracle/posttrain_reference.py}
 * (PyTorch, float64): 3 preference pairs on a dim-32 2-layer model, formatting tokens masked, NLL
 * weight 0.2, β 0.1, reference log-probs from a perturbed copy of the weights. Every tensor must
 * agree to a normwise relative error of 1e-4.
 */
class PyTorchGoldenTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void dpoAndRewardLossesAndGradientsMatchPyTorch() throws IOException {
        GoldenValues g = GoldenValues.load("/golden/posttrain_tiny.bin");
        ModelShape shape = new ModelShape(g.intValue("config.dim"), g.intValue("config.n_layers"),
                g.intValue("config.n_heads"), g.intValue("config.n_kv_heads"), g.intValue("config.ffn_dim"),
                g.intValue("config.vocab"), g.floatValue("config.norm_eps"), g.floatValue("config.rope_theta"),
                Optional.empty(), g.intValue("config.tied") == 1, g.intValue("config.max_seq_len"));
        TokenBatch batch = new TokenBatch(g.ints("batch.tokens"), g.ints("batch.targets"), g.ints("batch.doc_ids"),
                g.intValue("config.batch"), g.intValue("config.seq_len"));
        Map<String, Double> worst = new TreeMap<>();
        try (WorkerPool pool = new WorkerPool(2)) {
            LlamaParameters reference = load(shape, g, "reference.");
            double[] refLogProbs = DpoLoss.sequenceLogProbs(new LlamaTrainingModel(reference, pool, 32), batch);
            check(worst, "dpo.ref_logprobs", g.floats("dpo.ref_logprobs"), toFloat(refLogProbs));

            LlamaParameters policy = load(shape, g, "input.");
            float[] cfg = g.floats("dpo.config");
            DpoLoss.Result r = DpoLoss.forwardBackward(new LlamaTrainingModel(policy, pool, 32), batch,
                    toDouble(g.floats("dpo.ref_logprobs")), new DpoConfig(cfg[0], cfg[1], true));
            check(worst, "dpo.loss", g.floats("dpo.loss"), new float[] {(float) r.loss()});
            for (ParameterView v : policy.views()) {
                check(worst, "dpo.grad", g.floats("dpo.grad." + v.name()), policy.gradOf(v.name()));
            }

            LlamaParameters backbone = load(shape, g, "input.");
            ScalarHead head = new ScalarHead(shape.dim());
            System.arraycopy(g.floats("input.head"), 0, head.values(), 0, shape.dim() + 1);
            LlamaTrainingModel rm = new LlamaTrainingModel(backbone, pool, 32);
            check(worst, "rm.scores", g.floats("rm.scores"), RewardLoss.scores(rm, head, batch));
            RewardLoss.Result rr = RewardLoss.forwardBackward(rm, head, batch);
            check(worst, "rm.loss", g.floats("rm.loss"), new float[] {(float) rr.loss()});
            check(worst, "rm.grad.head", g.floats("rm.grad.head"), head.grads());
            for (ParameterView v : backbone.views()) {
                if (!v.name().equals("output.weight")) {  // the reward model does not use the LM head
                    check(worst, "rm.grad", g.floats("rm.grad." + v.name()), backbone.gradOf(v.name()));
                }
            }
        }
        System.out.println("posttrain worst relative errors vs PyTorch: " + worst);
    }

    private static LlamaParameters load(ModelShape shape, GoldenValues g, String prefix) {
        LlamaParameters p = new LlamaParameters(shape);
        for (ParameterView v : p.views()) {
            p.set(v.name(), g.floats(prefix + v.name()));
        }
        return p;
    }

    private static void check(Map<String, Double> worst, String kind, float[] expected, float[] actual) {
        double err = GoldenValues.relativeError(expected, actual);
        worst.merge(kind, err, Math::max);
        assertTrue(err <= TOLERANCE, kind + ": relative error " + err + " > " + TOLERANCE);
    }

    private static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
