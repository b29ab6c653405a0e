package org.llama3j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.llama3j.Llama;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.format.hf.HfLlamaConfig;
import org.llama3j.format.hf.HfRopeScaling;
import org.llama3j.format.hf.HfTokenizerWriter;
import org.llama3j.kernel.Dequantize;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * GGUF → {@link SafetensorsExporter} (+ tokenizer files) → {@link Llama#load} of the HF directory
 * gives the same model: the same prompt tokens through the written tokenizer.json, bit-identical
 * weights (q/k back in the interleaved order), the same logits, the llama3 rope_scaling recovered from the GGUF rope_freqs tensor, and exporting the
 * HF-loaded model again reproduces the safetensors file byte for byte (the q/k permutation is an
 * exact inverse).
 */
class SafetensorsRoundTripTest {
    static final String PROMPT = "The quick brown fox jumps over the lazy dog. Paris is the capital of";

    @TempDir
    Path tmp;

    /** The full path: GGUF with rope_freqs → convert-style export with tokenizer files → {@link Llama#load} of the directory. */
    @Test
    void ggufToHfDirectoryLoadsTheSameLlama() throws Exception {
        RopeScaling rs = new RopeScaling(32, 1, 4, 8192);
        Path gguf = randomGguf(DType.F32, false, rs);
        Path dir = tmp.resolve("hf");
        try (Llama original = Llama.load(gguf)) {
            var options = new SafetensorsExporter.Options(DType.F32, null, List.of(original.bos()),
                    List.copyOf(original.endTokens()));
            SafetensorsExporter.export(original.model(), options, dir);
            HfTokenizerWriter.write(original.file().metadata(), dir);
            // the chat template Llama.chat looks at comes from tokenizer_config.json for HF checkpoints
            String template = "{{- 'Cutting Knowledge Date: December 2023' }}";
            Path tc = dir.resolve("tokenizer_config.json");
            var tcJson = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(tc.toFile());
            Files.writeString(tc, tcJson.put("chat_template", template).toString());

            HfLlamaConfig hf = HfLlamaConfig.read(dir.resolve("config.json"));
            assertFalse(hf.tieWordEmbeddings());
            assertEquals(1e-5, hf.rmsNormEps());
            assertEquals(new HfRopeScaling("llama3", 32, 1, 4, 8192), hf.ropeScaling());

            try (Llama copy = Llama.load(dir)) {
                assertEquals(original.bos(), copy.bos());
                assertEquals(original.endTokens(), copy.endTokens());
                assertEquals(java.util.Optional.of(template), copy.loaded().chatTemplate());
                int[] prompt = original.tokenizePrompt(PROMPT);
                assertArrayEquals(prompt, copy.tokenizePrompt(PROMPT), "tokenizer.json round trip");
                assertEquals(original.tokenizer().vocabularySize(), copy.tokenizer().vocabularySize());
                assertArrayEquals(original.config().ropeFrequencyDivisors(), copy.config().ropeFrequencyDivisors());
                assertSameWeights(original.model().weights(), copy.model().weights());
                assertSameLogits(original.model(), copy.model(), prompt, 1e-6);
            }
        }
        assertReExportIsIdentical(dir, DType.F32);
    }

    /** BF16 matrices (copied byte for byte, q/k permuted and back), tied embeddings, no rope scaling. */
    @Test
    void bf16TiedModelRoundTrips() throws Exception {
        Path gguf = randomGguf(DType.BF16, true, null);
        Path dir = tmp.resolve("hf");
        try (GgufFile f = GgufReader.open(gguf)) {
            LlamaModel original = GgufModelLoader.load(f);
            SafetensorsExporter.export(original, SafetensorsExporter.Options.of(DType.BF16), dir);
            try (var copy = SafetensorsModelLoader.open(dir)) {
                assertEquals(null, copy.hfConfig().ropeScaling());
                assertEquals("bfloat16", copy.hfConfig().torchDtype());
                assertTrue(copy.model().config().tiedEmbeddings());
                assertFalse(copy.safetensors().hasTensor("lm_head.weight"));
                assertSameWeights(original.weights(), copy.model().weights());
                // BF16 matmuls round their inputs to BF16, which turns float-rounding noise (the Vector
                // API's lane reduction order is not fixed between interpreted and compiled code) into
                // an occasional one-ulp BF16 flip; the weights themselves are compared bit for bit above
                assertSameLogits(original, copy.model(), new int[] {128000, 791, 4062, 14198, 39935, 35308}, 2e-3);
            }
        }
        assertReExportIsIdentical(dir, DType.BF16);
    }

    private Path randomGguf(DType type, boolean tied, RopeScaling rs) throws Exception {
        Path gguf = tmp.resolve("model.gguf");
        var shape = new ModelShape(32, 2, 4, 2, 96, 256, 500000f, 1e-5f, rs, tied);
        try (GgufFile vocab = GgufReader.open(vocabFile())) {
            RandomModelWriter.write(gguf, shape, vocab, type, 7);
        }
        return gguf;
    }

    /** Loading the exported directory and exporting again reproduces both files byte for byte. */
    private void assertReExportIsIdentical(Path dir, DType type) throws Exception {
        Path again = tmp.resolve("hf-again");
        try (var copy = SafetensorsModelLoader.open(dir)) {
            var options = new SafetensorsExporter.Options(type, null, copy.hfConfig().bosTokenIds(), copy.hfConfig().eosTokenIds());
            SafetensorsExporter.export(copy.model(), options, again);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("model.safetensors")),
                Files.readAllBytes(again.resolve("model.safetensors")), "re-export is byte-identical");
        assertEquals(Files.readString(dir.resolve("config.json")), Files.readString(again.resolve("config.json")));
    }

    private static void assertSameLogits(LlamaModel a, LlamaModel b, int[] tokens, double tolerance) {
        float[] x = logits(a, tokens);
        float[] y = logits(b, tokens);
        double rel = HfGoldenTest.maxAbsDiff(x, y) / HfGoldenTest.maxAbs(x);
        assertTrue(rel < tolerance, "relative logit difference after the round trip " + rel);
    }

    /** Every weight of the two models has the same type, shape and values (q/k in the same, interleaved order). */
    static void assertSameWeights(LlamaWeights a, LlamaWeights b) {
        assertSameTensor(a.tokenEmbedding(), b.tokenEmbedding());
        assertSameTensor(a.outputNorm(), b.outputNorm());
        assertSameTensor(a.output(), b.output());
        assertEquals(a.layers().size(), b.layers().size());
        for (int l = 0; l < a.layers().size(); l++) {
            LayerWeights x = a.layers().get(l);
            LayerWeights y = b.layers().get(l);
            List<Tensor> xs = List.of(x.attnNorm(), x.wq(), x.wk(), x.wv(), x.wo(), x.ffnNorm(), x.wGate(), x.wUp(), x.wDown());
            List<Tensor> ys = List.of(y.attnNorm(), y.wq(), y.wk(), y.wv(), y.wo(), y.ffnNorm(), y.wGate(), y.wUp(), y.wDown());
            for (int i = 0; i < xs.size(); i++) {
                assertSameTensor(xs.get(i), ys.get(i));
            }
        }
    }

    static void assertSameTensor(Tensor x, Tensor y) {
        assertEquals(x.type(), y.type(), x + " vs " + y);
        assertArrayEquals(x.shape(), y.shape(), x + " vs " + y);
        assertArrayEquals(Dequantize.all(x), Dequantize.all(y), x + " vs " + y);
    }

    static float[] logits(LlamaModel m, int[] tokens) {
        return m.forward(m.newState(tokens.length), tokens, tokens.length, 0);
    }

    static Path vocabFile() throws Exception {
        return Path.of(SafetensorsRoundTripTest.class.getResource("/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf").toURI());
    }
}
