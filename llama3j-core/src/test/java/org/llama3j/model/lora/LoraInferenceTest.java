package org.llama3j.model.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.GgufModelLoader;
import org.llama3j.model.LlamaModel;
import org.llama3j.tensor.DType;

class LoraInferenceTest {
    @TempDir
    Path tmp;

    /** y = W·x + (α/r)·B·(A·x), worked by hand: A = [1 2 3], B = [1; −1], α/r = 2/1. */
    @Test
    void sidePathIsScaleTimesBTimesAx() {
        LoraMatrices m = new LoraMatrices(1, 3, 2, new float[] {1, 2, 3}, new float[] {1, -1});
        float[] y = {10, 20};
        m.apply(new float[] {1, 1, 2}, 0, y, 0, 2f, new float[1]);
        // A·x = 1 + 2 + 6 = 9; 2·B·9 = [18, −18]
        assertArrayEquals(new float[] {28, 2}, y);
        float[] w = new float[6];
        m.addDeltaTo(w, 2f);
        assertArrayEquals(new float[] {2, 4, 6, -2, -4, -6}, w);
    }

    static float[] logits(LlamaModel m) {
        int[] p = LoraTestModels.PROMPT;
        return m.forward(m.newState(16), p, p.length, 0);
    }

    @Test
    void mergedWeightsGiveTheAdapterAppliedLogits() throws Exception {
        try (GgufFile f = GgufReader.open(LoraTestModels.base(tmp, DType.F32))) {
            LlamaModel base = GgufModelLoader.load(f);
            LoraBase lb = LoraBase.of(base.config());
            LoraAdapter a = LoraTestModels.random(new LoraConfig(4, 8f, 0f, EnumSet.allOf(Projection.class)), lb, 5, 0.05);
            float[] side = logits(base.withLora(a));
            float[] merged = logits(new LlamaModel(base.config(), LoraMerge.mergeF32(base.weights(), a)));
            float[] plain = logits(base);
            double maxDiff = maxAbsDiff(side, merged);
            assertTrue(maxDiff <= 1e-5, "merged vs side path max |Δlogit| = " + maxDiff);
            assertTrue(maxAbsDiff(side, plain) > 0.05, "the adapter must change the logits");

            Path out = tmp.resolve("merged.gguf");
            assertEquals(14, LoraMerge.mergeGguf(f, a, null, out));
            try (GgufFile g = GgufReader.open(out)) {
                float[] fromFile = logits(GgufModelLoader.load(g));
                assertTrue(maxAbsDiff(side, fromFile) <= 1e-5, "merged GGUF vs side path " + maxAbsDiff(side, fromFile));
            }
        }
    }

    /** On a Q8_0 or Q4_0 base the side path leaves the base product untouched: a zero B changes no bit. */
    @Test
    void quantizedBaseStaysExact() throws Exception {
        for (DType type : new DType[] {DType.Q8_0, DType.Q4_0}) {
            try (GgufFile f = GgufReader.open(LoraTestModels.base(tmp, type))) {
                LlamaModel base = GgufModelLoader.load(f);
                LoraBase lb = LoraBase.of(base.config());
                LoraConfig c = new LoraConfig(2, 4f, 0f, EnumSet.allOf(Projection.class));
                assertArrayEquals(logits(base), logits(base.withLora(LoraTestModels.random(c, lb, 1, 0))));
                LoraAdapter a = LoraTestModels.random(c, lb, 1, 0.05);
                // merged into an F32 copy of the dequantized base, the same model as base + side path up to the
                // activation quantization the Q8_0/Q4_0 kernels apply (llama.cpp's), which the F32 copy skips
                float[] side = logits(base.withLora(a));
                float[] merged = logits(new LlamaModel(base.config(), LoraMerge.mergeF32(base.weights(), a)));
                assertTrue(maxAbsDiff(side, merged) < 0.5, type + " " + maxAbsDiff(side, merged));
            }
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
