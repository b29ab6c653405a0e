package org.llama3j.train.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llama3j.tensor.DType;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.layers.RopeScaling;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.tokenizer.BpeModel;
import org.llama3j.train.tokenizer.BpeTrainer;

/**
 * llama.cpp as the oracle of the export: a seeded model with a trained tokenizer is exported to
 * {@code target/export-oracle/model.gguf}; {@code scripts/oracle/export_llamacpp_golden.sh} ran
 * llama.cpp ({@code llama-logits}) on that file and stored its tokens and logits in
 * {@code export/llamacpp-golden.json}. llama.cpp must have loaded the file (metadata, tensor
 * names/shapes, RoPE order, Llama 3.1 {@code rope_freqs}, merges) and tokenized the prompt exactly
 * as our tokenizer does, and its logits must equal the training model's.
 */
class LlamaCppExportGoldenTest {

    static final String PROMPT = "Über café — the llama walks over 1984 green hills 🦙!";
    static final Path MODEL = Path.of("target/export-oracle/model.gguf");

    static LlamaParameters model(BpeModel bpe) {
        ModelShape shape = new ModelShape(32, 2, 4, 2, 64, bpe.ranks().size() + 256, 1e-5f, 500000,
                Optional.of(RopeScaling.LLAMA_3_1), false, 128);
        LlamaParameters p = new LlamaParameters(shape);
        p.initialize(2026, 0.25);
        return p;
    }

    static BpeModel tokenizer() throws IOException {
        try (InputStream c = LlamaCppExportGoldenTest.class.getResourceAsStream("/bpe/corpus.txt")) {
            BpeTrainer t = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
            t.addText(new String(c.readAllBytes(), StandardCharsets.UTF_8));
            return t.train(600);
        }
    }

    @Test
    void llamaCppReadsTheExportAndAgrees() throws IOException {
        BpeModel bpe = tokenizer();
        LlamaParameters p = model(bpe);
        Files.createDirectories(MODEL.getParent());
        GgufExporter.export(p, bpe.ranks(), "llama3j-export-oracle", MODEL, DType.F32);

        JsonNode golden;
        try (InputStream g = getClass().getResourceAsStream("/export/llamacpp-golden.json")) {
            golden = new ObjectMapper().readTree(g);
        }
        assertEquals(PROMPT, golden.get("prompt").asText());
        Tokenizer tok = Llama3Tokenizer.fromRanks(bpe.ranks());
        int[] tokens = tok.encode(PROMPT, true, false);
        JsonNode cppTokens = golden.get("llama_cpp").get("prompt_tokens");
        int[] want = new int[cppTokens.size()];
        for (int i = 0; i < want.length; i++) {
            want[i] = cppTokens.get(i).asInt();
        }
        assertArrayEquals(want, tokens, "llama.cpp tokenized the prompt differently");

        int vocab = p.shape().vocabSize();
        assertEquals(vocab, golden.get("llama_cpp").get("n_vocab").asInt());
        float[] ours = new LlamaTrainingModel(p, WorkerPool.serial(), 64).logits(tokens, new int[tokens.length], 1,
                tokens.length);
        JsonNode positions = golden.get("llama_cpp").get("prompt_logits");
        assertEquals(tokens.length, positions.size());
        double maxDiff = 0;
        double maxAbs = 0;
        for (int t = 0; t < tokens.length; t++) {
            JsonNode logits = positions.get(t).get("logits");
            assertEquals(vocab, logits.size());
            for (int v = 0; v < vocab; v++) {
                double cpp = logits.get(v).asDouble();
                maxDiff = Math.max(maxDiff, Math.abs(cpp - ours[t * vocab + v]));
                maxAbs = Math.max(maxAbs, Math.abs(cpp));
            }
        }
        System.out.printf("llama.cpp export oracle: max |Δlogit| %.3g of max |logit| %.3g over %d positions%n",
                maxDiff, maxAbs, tokens.length);
        assertTrue(maxAbs > 1, "logits too flat to be a test");
        assertTrue(maxDiff < 1e-4 * Math.max(1, maxAbs), "max |Δlogit| " + maxDiff);
    }
}
