package org.llama3j.train.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.llama3j.Llama;
import org.llama3j.format.hf.HfLlamaConfig;
import org.llama3j.model.LlamaModel;
import org.llama3j.model.SafetensorsModelLoader;
import org.llama3j.tensor.DType;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.tokenizer.BpeTrainer;
import org.llama3j.train.tokenizer.BpeTrainerTestCorpus;

/**
 * The Hugging Face export of a checkpoint, loaded by core's {@link SafetensorsModelLoader}, gives
 * exactly the logits of the GGUF export of the same checkpoint in the same type, and its
 * tokenizer.json gives the same ids.
 */
class HfExportTest {

    private static final String TEXT = "The llama sees the red ball again. Zebras? 42 ünïcødé";

    @TempDir
    static Path dir;
    static Map<ByteSequence, Integer> ranks;

    @BeforeAll
    static void trainTokenizer() {
        BpeTrainer t = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        t.addText(BpeTrainerTestCorpus.generate(2000, 3));
        ranks = t.train(300).ranks();
    }

    private static TrainingState state(boolean tied, boolean scaling) {
        ModelShape shape = new ModelShape(32, 2, 4, 2, 64, ranks.size() + 256, 1e-5f, 500000,
                scaling ? Optional.of(RopeScaling.LLAMA_3_1) : Optional.empty(), tied, 64);
        LlamaParameters p = new LlamaParameters(shape);
        p.initialize(17, 0.2);
        float[] norm = p.copyOf("blk.0.attn_norm.weight");
        for (int i = 0; i < norm.length; i++) {
            norm[i] = 1 - 0.02f * i;
        }
        p.set("blk.0.attn_norm.weight", norm);
        ByteArrayOutputStream tok = new ByteArrayOutputStream();
        TiktokenFile.write(ranks, tok);
        float[] zeros = new float[p.size()];
        return new TrainingState(shape, 42, p.values().clone(), zeros, zeros, 42, LoaderPosition.START, 0, 42, 0, 0,
                new long[0], tok.toByteArray());
    }

    @ParameterizedTest
    @CsvSource({"F32, false, false", "F32, true, true", "BF16, false, true", "BF16, true, false"})
    void safetensorsLogitsEqualTheGgufExportsLogits(DType type, boolean tied, boolean scaling) throws IOException {
        TrainingState s = state(tied, scaling);
        Path gguf = dir.resolve("m-" + type + tied + scaling + ".gguf");
        GgufExporter.export(s, gguf, type);
        Path hf = dir.resolve("hf-" + type + tied + scaling);
        HfExporter.export(s, hf, type, Optional.of(ChatTemplates.LLAMA3));

        HfLlamaConfig config = SafetensorsModelLoader.readConfig(hf);
        assertEquals(tied, config.tieWordEmbeddings());
        assertEquals(scaling, config.ropeScaling() != null);
        assertEquals(s.shape().vocabSize(), config.vocabSize());
        try (Llama fromGguf = Llama.load(gguf);
             SafetensorsModelLoader.Checkpoint fromHf = SafetensorsModelLoader.open(hf);
             Llama hfWithTokenizer = Llama.load(hf)) {
            int[] tokens = fromGguf.tokenizePrompt(TEXT);
            assertArrayEquals(tokens, hfWithTokenizer.tokenizePrompt(TEXT));
            assertEquals(fromGguf.bos(), hfWithTokenizer.bos());
            assertEquals(fromGguf.endTokens(), hfWithTokenizer.endTokens());
            float[] want = logits(fromGguf.model(), tokens);
            float[] got = logits(fromHf.model(), tokens);
            assertTrue(maxAbs(want) > 0.5, "logits too flat to be a test");
            assertArrayEquals(want, got, type + " tied=" + tied + " scaling=" + scaling);
        }
    }

    @Test
    void refusesANonEmptyOutputAndLeavesNoTemporaryFiles() throws IOException {
        Path out = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(out.resolve("keep.txt"), "x");
        assertThrows(IllegalArgumentException.class,
                () -> HfExporter.export(state(true, false), out, DType.F32, Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> HfExporter.export(state(true, false), dir.resolve("q"), DType.Q8_0, Optional.empty()));
        assertEquals("x", Files.readString(out.resolve("keep.txt")));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp")));
        }
    }

    private static float[] logits(LlamaModel m, int[] tokens) {
        return m.forward(m.newState(tokens.length), tokens, tokens.length, 0);
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
