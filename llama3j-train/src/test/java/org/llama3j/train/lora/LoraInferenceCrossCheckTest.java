package org.llama3j.train.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.llama3j.Llama;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.model.GgufModelLoader;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.lora.LoraAdapter;
import org.llama3j.model.lora.LoraBase;
import org.llama3j.model.lora.LoraConfig;
import org.llama3j.model.lora.LoraMerge;
import org.llama3j.model.lora.PeftAdapter;
import org.llama3j.model.lora.Projection;
import org.llama3j.tensor.DType;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.train.export.GgufExporter;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.tokenizer.BpeTrainer;
import org.llama3j.train.tokenizer.BpeTrainerTestCorpus;

/**
 * From training to inference: an adapter trained here on a base loaded from GGUF (F32, or Q8_0 /
 * Q4_0 dequantized once: QLoRA-style), saved in the PEFT layout, loaded by core and applied as a
 * side path over the base as stored, gives the training model's logits; the GGUF with the adapter
 * merged gives the same logits as the side path.
 */
class LoraInferenceCrossCheckTest {
    @TempDir
    static Path dir;
    static Map<ByteSequence, Integer> ranks;

    @BeforeAll
    static void tokenizer() {
        BpeTrainer t = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        t.addText(BpeTrainerTestCorpus.generate(2000, 3));
        ranks = t.train(300).ranks();
    }

    /**
     * F32: both sides compute the same FP32 function, agreement to float rounding. Q8_0/Q4_0: core
     * (like ggml) also quantizes the activations to Q8_0 for these weights, so the bound is that rounding,
     * as in GgufExportTest.
     */
    @ParameterizedTest
    @CsvSource({"F32, 2e-5", "Q8_0, 5e-2", "Q4_0, 5e-2"})
    void adapterAppliedInCoreMatchesTheTrainingModel(DType type, double tolerance) throws Exception {
        ModelShape shape = new ModelShape(32, 2, 4, 2, 64, ranks.size() + 256, 1e-5f, 500000, Optional.empty(), false, 64);
        LlamaParameters init = new LlamaParameters(shape);
        init.initialize(99, 0.2);
        Path gguf = dir.resolve("base-" + type + ".gguf");
        GgufExporter.export(init, ranks, "base", gguf, type);

        LlamaParameters base = BaseModelLoader.load(gguf);
        assertTrue(base.isFrozen());
        if (type == DType.F32) {
            assertArrayEquals(init.values(), base.values(), "an F32 base loads bit for bit");
        }
        int[] tokens = new int[24];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 37 + 5) % shape.vocabSize();
        }
        int[] docs = new int[tokens.length];
        try (WorkerPool pool = new WorkerPool(2)) {
            LoraTrainingModel lora = LoraTrainingModel.create(base, new LoraConfig(4, 8f, 0f,
                    EnumSet.allOf(Projection.class)), 1, pool);
            LoraTrainingTest.train(lora, 4, pool);   // B moves away from zero
            float[] expected = lora.logits(tokens, docs, 1, tokens.length);
            Path adapterDir = dir.resolve("adapter-" + type);
            lora.save(adapterDir, gguf.getFileName().toString());

            try (Llama llama = Llama.load(gguf)) {
                LoraAdapter adapter = PeftAdapter.read(adapterDir, LoraBase.of(llama.config()));
                LlamaModel withAdapter = llama.model().withLora(adapter);
                float[] got = withAdapter.forward(withAdapter.newState(tokens.length), tokens, tokens.length, 0);
                double err = LoraTrainingTest.maxAbsDiff(expected, got) / LoraTrainingTest.maxAbs(expected);
                float[] plain = llama.model().forward(llama.model().newState(tokens.length), tokens, tokens.length, 0);
                double effect = LoraTrainingTest.maxAbsDiff(expected, plain) / LoraTrainingTest.maxAbs(expected);
                System.out.printf("LoRA %s base: core side path vs training logits %.2e (adapter effect %.2e)%n",
                        type, err, effect);
                assertTrue(err <= tolerance, type + ": " + err);
                assertTrue(effect > 1e-3, "the adapter must matter: " + effect);

                if (type == DType.F32) {
                    Path merged = dir.resolve("merged.gguf");
                    assertEquals(14, LoraMerge.mergeGguf(llama.file(), adapter, null, merged));
                    try (GgufFile m = GgufReader.open(merged)) {
                        LlamaModel mm = GgufModelLoader.load(m);
                        float[] fromMerged = mm.forward(mm.newState(tokens.length), tokens, tokens.length, 0);
                        double gap = LoraTrainingTest.maxAbsDiff(got, fromMerged);
                        System.out.printf("LoRA merged GGUF vs side path: max |dlogit| %.2e%n", gap);
                        assertTrue(gap <= 1e-5, "merged vs side path " + gap);
                    }
                }
            }
        }
    }
}
