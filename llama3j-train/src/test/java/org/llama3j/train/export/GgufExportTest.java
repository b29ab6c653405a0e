package org.llama3j.train.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.llama3j.Llama;
import org.llama3j.kernel.Dequantize;
import org.llama3j.model.InferenceState;
import org.llama3j.tensor.DType;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.tokenizer.BpeTrainer;
import org.llama3j.train.tokenizer.BpeTrainerTestCorpus;

/** The exported GGUF, run by core's inference model, gives the training model's logits and tokens. */
class GgufExportTest {

    @TempDir
    static Path dir;
    static Map<ByteSequence, Integer> ranks;

    @BeforeAll
    static void trainTokenizer() {
        BpeTrainer t = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        t.addText(BpeTrainerTestCorpus.generate(2000, 3));
        ranks = t.train(300).ranks();
    }

    @ParameterizedTest
    @CsvSource({"F32, false, false, 2e-5, 0", "F32, true, true, 2e-5, 0", "BF16, false, true, 2e-2, 4e-2",
            "BF16, true, false, 2e-2, 4e-2", "Q8_0, true, false, 5e-2, 8e-2", "Q8_0, false, true, 5e-2, 8e-2"})
    void exportedLogitsMatchTheTrainingModel(DType type, boolean tied, boolean scaling, double tolerance,
                                             double roundingTolerance) throws IOException {
        ModelShape shape = new ModelShape(32, 2, 4, 2, 64, ranks.size() + 256, 1e-5f, 500000,
                scaling ? Optional.of(RopeScaling.LLAMA_3_1) : Optional.empty(), tied, 64);
        LlamaParameters p = new LlamaParameters(shape);
        p.initialize(99, 0.2);
        float[] norm = p.copyOf("blk.1.ffn_norm.weight");
        for (int i = 0; i < norm.length; i++) {
            norm[i] = 1 + 0.05f * i;
        }
        p.set("blk.1.ffn_norm.weight", norm);
        Path out = dir.resolve("m-" + type + tied + scaling + ".gguf");
        GgufExporter.export(p, ranks, "test", out, type);

        Tokenizer reference = Llama3Tokenizer.fromRanks(ranks);
        String text = "The llama sees the red ball again. Zebras? 42 ünïcødé";
        try (Llama llama = Llama.load(out)) {
            int[] tokens = llama.tokenizePrompt(text);
            int[] expected = reference.encode(text, true, false);
            assertArrayEquals(expected, tokens);
            assertEquals(Llama3Tokenizer.BEGIN_OF_TEXT + text, llama.tokenizer().decode(tokens));
            assertEquals(shape.vocabSize(), llama.config().vocabSize());
            InferenceState st = llama.model().newState(tokens.length);
            float[] got = llama.model().forward(st, tokens, tokens.length, 0);
            // The training model on the weights as stored (rounded to the export type). F32: core
            // must agree to float rounding (observed ~1e-6 of the logit range). BF16 and Q8_0: core,
            // like ggml (vec_dot_type of BF16 is BF16, of Q8_0 is Q8_0), also rounds the activations
            // to the weight type, so the bound is that rounding (observed 1.3% and 3.3%).
            LlamaParameters stored = new LlamaParameters(shape);
            for (var v : stored.views()) {
                stored.set(v.name(), Dequantize.all(llama.file().tensor(v.name())));
            }
            float[] wantStored = logits(stored, tokens);
            float[] wantExact = logits(p, tokens);
            double maxAbs = maxAbs(wantExact);
            assertTrue(maxAbs > 0.5, "logits too flat to be a test: " + maxAbs);
            double inference = maxDiff(wantStored, got);
            double rounding = maxDiff(wantExact, wantStored);
            assertTrue(inference <= tolerance * maxAbs, type + ": core vs training on stored weights: max |Δlogit| "
                    + inference + " of max |logit| " + maxAbs);
            assertTrue(rounding <= roundingTolerance * maxAbs, type + ": weight rounding moved logits by " + rounding
                    + " of max |logit| " + maxAbs);
            if (type == DType.F32) {
                assertEquals(0.0, rounding);
            } else {
                assertTrue(rounding > 0, "the export type must actually round");
            }
        }
    }

    private static float[] logits(LlamaParameters p, int[] tokens) {
        return new LlamaTrainingModel(p, WorkerPool.serial(), 64).logits(tokens, new int[tokens.length], 1, tokens.length);
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @org.junit.jupiter.api.Test
    void mergesAreDerivedFromRanks() {
        // ranks: bytes, then "ab" (256), "abc" (257), "bc" (258): "bc" is reachable, "abc" = ab + c
        Map<ByteSequence, Integer> r = new java.util.LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            r.put(ByteSequence.of(new byte[] {(byte) b}), b);
        }
        r.put(ByteSequence.utf8("ab"), 256);
        r.put(ByteSequence.utf8("abc"), 257);
        r.put(ByteSequence.utf8("bc"), 258);
        r.put(ByteSequence.utf8(" a"), 259);
        assertEquals(List.of("a b", "ab c", "b c", "Ġ a"), BpeMerges.derive(r));
    }
}
