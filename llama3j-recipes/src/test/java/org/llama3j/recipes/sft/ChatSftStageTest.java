package org.llama3j.recipes.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.Llama;
import org.llama3j.posttrain.recipe.RecipeLoader;
import org.llama3j.posttrain.recipe.Method;
import org.llama3j.tensor.DType;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.export.ChatTemplates;
import org.llama3j.train.export.GgufExporter;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.tokenizer.BpeModel;
import org.llama3j.train.tokenizer.BpeTrainer;

/** The SFT stage on a tiny random model: learns, is deterministic, is not redone, and round-trips through GGUF. */
class ChatSftStageTest {

    static final ChatSftStage.Settings SETTINGS = new ChatSftStage.Settings(24, 2, 3e-3, 120, 16, 5);

    static TrainingState tinyModel() {
        BpeTrainer bpe = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        for (SyntheticChat.Dialog d : new SyntheticChat(SyntheticChatTest.SENTENCES).generate(200, 99)) {
            d.turns().forEach(t -> bpe.addText(t.user() + " " + t.assistant()));
        }
        BpeModel model = bpe.train(400);
        ByteArrayOutputStream tok = new ByteArrayOutputStream();
        TiktokenFile.write(model.ranks(), tok);
        ModelShape shape = new ModelShape(32, 2, 4, 2, 64, model.ranks().size() + Llama3Tokenizer.SPECIAL_TOKEN_COUNT,
                1e-5f, 10000, Optional.empty(), true, 128);
        LlamaParameters p = new LlamaParameters(shape);
        p.initialize(3, 0.02);
        return new TrainingState(shape, 0, p.values().clone(), new float[p.size()], new float[p.size()], 0,
                LoaderPosition.START, 0, 0, 0, 0, new long[0], tok.toByteArray());
    }

    @Test
    void fineTunesDeterministicallyAndResumesAsDone(@TempDir Path dir) throws Exception {
        TrainingState base = tinyModel();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ChatSftStage.Result a = ChatSftStage.run(base, SyntheticChatTest.SENTENCES, dir.resolve("a"), SETTINGS, quiet);
        assertEquals(24, a.steps());
        assertTrue(a.trainDialogs() > 90 && a.trainDialogs() < 120, "dialogues that fit 128 tokens: " + a.trainDialogs());
        assertEquals(24, a.state().step());
        // random weights start near ln(vocab) and the replies are highly regular: 24 steps must take off more than a nat
        assertTrue(a.valLossBefore() > 5.5, "before: " + a.valLossBefore());
        assertTrue(a.valLossAfter() < a.valLossBefore() - 1, a.valLossBefore() + " -> " + a.valLossAfter());
        assertTrue(a.lastLoss() < a.firstLoss() - 1, a.firstLoss() + " -> " + a.lastLoss());
        assertArrayEquals(base.tokenizer(), a.state().tokenizer(), "the tokenizer travels with the weights");

        // the stage is an ordinary posttrain recipe: rerunnable with `llama3j finetune --recipe sft/sft.yaml`
        var recipe = RecipeLoader.load(dir.resolve("a/sft.yaml"));
        assertEquals(Method.SFT, recipe.method());
        assertEquals(24, recipe.run().steps());
        assertEquals(5, recipe.run().seed());
        assertEquals(a.trainDialogs(), Files.readAllLines(dir.resolve("a/train.jsonl")).size());

        ChatSftStage.Result b = ChatSftStage.run(base, SyntheticChatTest.SENTENCES, dir.resolve("b"), SETTINGS, quiet);
        assertArrayEquals(a.state().weights(), b.state().weights(), "same data, seed and threads: same bits");
        assertEquals(a.valLossAfter(), b.valLossAfter());
        List<String> curve = stepLosses(dir.resolve("a/run/log.jsonl"));
        assertEquals(24, curve.size(), "one logged loss per step");
        assertEquals(curve, stepLosses(dir.resolve("b/run/log.jsonl")), "a rebuild reproduces the loss curve");

        long written = Files.getLastModifiedTime(dir.resolve("a/run/model.l3jc")).toMillis();
        ChatSftStage.Result again = ChatSftStage.run(base, SyntheticChatTest.SENTENCES, dir.resolve("a"), SETTINGS, quiet);
        assertEquals(written, Files.getLastModifiedTime(dir.resolve("a/run/model.l3jc")).toMillis(), "not retrained");
        assertArrayEquals(a.state().weights(), again.state().weights());
    }

    /** Replayed documents go into the training data as {@code {"text": …}} records; one longer than the context is dropped. */
    @Test
    void replayedDocumentsJoinTheTrainingData(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ChatSftStage.Settings s = new ChatSftStage.Settings(2, 2, 3e-3, 20, 4, 5);
        String fits = "The old church stood on a hill above the town.";
        String tooLong = "word ".repeat(400).strip() + ".";
        ChatSftStage.Result r = ChatSftStage.run(tinyModel(), SyntheticChatTest.SENTENCES, List.of(fits, tooLong),
                dir, s, quiet);
        assertEquals(1, r.replayDocs());
        List<String> lines = Files.readAllLines(dir.resolve("train.jsonl"));
        assertEquals(r.trainDialogs() + 1, lines.size());
        assertEquals("{\"text\":\"" + fits + "\"}", lines.getLast());
    }

    private static List<String> stepLosses(Path log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode n = json.readTree(line);
            if (n.path("type").asText().equals("step")) {
                out.add(n.path("step").asText() + ":" + n.path("loss").asText());
            }
        }
        return out;
    }

    /** {@code --from-base}: a GGUF read back as a training state has the exported weights and tokenizer. */
    @Test
    void baseGgufReadsBackTheExportedStateAndTokenizer(@TempDir Path dir) throws Exception {
        TrainingState s = tinyModel();
        Path gguf = dir.resolve("tiny.gguf");
        GgufExporter.export(s, gguf, DType.F32, "tiny", Optional.of(ChatTemplates.LLAMA3));
        TrainingState back = BaseGguf.read(gguf);
        assertEquals(s.shape(), back.shape());
        assertArrayEquals(s.weights(), back.weights());
        assertEquals(TiktokenFile.read(new java.io.ByteArrayInputStream(s.tokenizer()), "a"),
                TiktokenFile.read(new java.io.ByteArrayInputStream(back.tokenizer()), "b"));
        try (Llama llama = Llama.load(gguf)) {
            String text = "Hello! What is 3 + 4? The old church stood on a hill above the town.";
            assertArrayEquals(llama.tokenizer().encode(text),
                    org.llama3j.posttrain.model.PolicyModel.tokenizerOf(back.tokenizer(), "back").encode(text));
        }
    }
}
