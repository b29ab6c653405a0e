package org.llama3j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.llama3j.Llama;
import org.llama3j.format.gguf.GgufFile;
import org.llama3j.format.gguf.GgufReader;
import org.llama3j.format.hf.HfLlamaConfig;
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

    @ParameterizedTest
    @CsvSource({"F32, false, 32", "BF16, true, 8", "F16, false, 0"})
    void ggufToHfAndBack(DType type, boolean tied, double ropeFactor) throws Exception {
        Path gguf = tmp.resolve("model.gguf");
        RopeScaling rs = ropeFactor > 0 ? new RopeScaling(ropeFactor, 1, 4, 8192) : null;
        var shape = new ModelShape(64, 2, 4, 2, 160, 256, 500000f, 1e-5f, rs, tied);
        try (GgufFile vocab = GgufReader.open(vocabFile())) {
            RandomModelWriter.write(gguf, shape, vocab, type, 7);
        }
        Path dir = tmp.resolve("hf");
        Path again = tmp.resolve("hf-again");
        try (Llama original = Llama.load(gguf)) {
            var options = new SafetensorsExporter.Options(type, null, List.of(original.bos()), List.copyOf(original.endTokens()));
            SafetensorsExporter.export(original.model(), options, dir);
            HfTokenizerWriter.write(original.file().metadata(), dir);

            HfLlamaConfig hf = HfLlamaConfig.read(dir.resolve("config.json"));
            assertEquals(tied, hf.tieWordEmbeddings());
            assertEquals(1e-5, hf.rmsNormEps());
            if (rs == null) {
                assertEquals(null, hf.ropeScaling());
            } else {
                assertNotNull(hf.ropeScaling());
                assertEquals(ropeFactor, hf.ropeScaling().factor(), 1e-6);
            }

            try (Llama copy = Llama.load(dir)) {
                assertEquals(original.bos(), copy.bos());
                assertEquals(original.endTokens(), copy.endTokens());
                assertEquals(original.loaded().chatTemplate(), copy.loaded().chatTemplate());
                int[] prompt = original.tokenizePrompt(PROMPT);
                assertArrayEquals(prompt, copy.tokenizePrompt(PROMPT), "tokenizer.json round trip");
                assertEquals(original.tokenizer().vocabularySize(), copy.tokenizer().vocabularySize());
                assertArrayEquals(original.config().ropeFrequencyDivisors(), copy.config().ropeFrequencyDivisors());

                assertSameWeights(original.model().weights(), copy.model().weights());
                float[] a = logits(original.model(), prompt);
                float[] b = logits(copy.model(), prompt);
                double rel = HfGoldenTest.maxAbsDiff(a, b) / HfGoldenTest.maxAbs(a);
                // BF16 matmuls round their inputs to BF16, which turns float-rounding noise (the Vector API's
                // lane reduction order is not fixed between interpreted and compiled code) into an
                // occasional one-ulp BF16 flip; the weights themselves are compared bit for bit above
                double tolerance = type == DType.BF16 ? 2e-3 : 1e-6;
                assertTrue(rel < tolerance, type + ": relative logit difference after the round trip " + rel);

                SafetensorsExporter.export(copy.model(), options, again);
            }
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("model.safetensors")),
                Files.readAllBytes(again.resolve("model.safetensors")), "re-export is byte-identical");
        assertEquals(Files.readString(dir.resolve("config.json")), Files.readString(again.resolve("config.json")));
        assertFalse(Files.exists(dir.resolve("model.safetensors.index.json")));
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
