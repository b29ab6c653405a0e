package org.llama3j.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.Projection;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.lora.LoraParameters;
import org.llama3j.train.lora.LoraTrainingModel;

/**
 * LoRA against PyTorch: {@code scripts/oracle/lora_reference.py} runs the tiny Llama of
 * {@link PyTorchGoldenTest} (float64) with a rank-4, α = 8 adapter on all seven projections of both
 * layers, written as PEFT's {@code lora.Linear} computes it, base frozen. Loss, logits, the gradient
 * of every A and B, and the merged weights {@code W + (α/r)·B·A} must agree to 1e-4 (normwise relative).
 */
class LoraPyTorchGoldenTest {

    private final java.util.Map<String, Double> worst = new java.util.TreeMap<>();

    private void check(String what, float[] expected, float[] actual) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        String kind = what.startsWith("grad.") ? "grad." + what.substring(what.lastIndexOf('.') + 1) : what.split("\\.")[0];
        worst.merge(kind, maxDiff / maxRef, Math::max);
        PyTorchGoldenTest.assertClose(what, expected, actual);
    }

    @Test
    void adapterForwardGradientsAndMergeMatchPyTorch() throws IOException {
        GoldenFile g = GoldenFile.load("/golden/lora_tiny.bin");
        ModelShape shape = PyTorchGoldenTest.shapeOf(g);
        LlamaParameters base = LlamaParameters.withoutGradients(shape);
        for (ParameterView v : base.views()) {
            base.set(v.name(), g.floats("input." + v.name()));
        }
        float[] baseBefore = base.values().clone();
        LoraConfig config = new LoraConfig(g.intValue("config.lora_rank"), g.floatValue("config.lora_alpha"), 0f,
                EnumSet.allOf(Projection.class));
        int batch = g.intValue("config.batch");
        int seqLen = g.intValue("config.seq_len");
        int[] tokens = g.ints("batch.tokens");
        int[] targets = g.ints("batch.targets");
        int[] docs = g.ints("batch.doc_ids");
        try (WorkerPool pool = new WorkerPool(2)) {
            LoraTrainingModel lora = LoraTrainingModel.create(base, config, 0, pool, 32);
            LoraParameters p = lora.trainableParameters();
            for (ParameterView v : p.views()) {
                float[] data = g.floats("lora." + v.name());
                assertEquals(v.size(), data.length, v.name());
                System.arraycopy(data, 0, p.values(), v.offset(), data.length);
            }
            check("logits", g.floats("logits"), lora.logits(tokens, docs, batch, seqLen));
            p.zeroGrads();
            float loss = lora.forwardBackward(tokens, targets, docs, batch, seqLen);
            check("loss", g.floats("loss"), new float[] {loss});
            for (ParameterView v : p.views()) {
                float[] grad = java.util.Arrays.copyOfRange(p.grads(), v.offset(), v.offset() + v.size());
                check("grad.lora." + v.name(), g.floats("grad.lora." + v.name()), grad);
            }
            LlamaParameters merged = lora.mergedParameters();
            for (int l = 0; l < shape.nLayers(); l++) {
                for (Projection pr : Projection.values()) {
                    String name = pr.ggufWeight(l);
                    check("merged." + name, g.floats("merged." + name), merged.copyOf(name));
                }
            }
            System.out.println("LoRA worst relative errors vs PyTorch: " + worst);
            assertNull(lora.base().grads(), "the frozen base has no gradient array");
            org.junit.jupiter.api.Assertions.assertArrayEquals(baseBefore, base.values());
        }
    }
}
