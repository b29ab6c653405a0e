package org.llama3j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.posttrain.run.PostTrainRun;
import org.llama3j.posttrain.tasks.DemoData;
import org.llama3j.posttrain.tasks.SyntheticTasks;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.TiktokenFile;
import org.llama3j.train.checkpoint.CheckpointCodec;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.LoaderPosition;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.tokenizer.BpeModel;
import org.llama3j.train.tokenizer.BpeTrainer;

/** {@code llama3j finetune --recipe}: a two-step SFT run, and a malformed dataset rejected with exit code 2. */
class FinetuneCommandTest {

    @TempDir
    Path dir;

    @Test
    void sftRecipeRunsAndBadRecordsAreRejected() throws Exception {
        BpeTrainer bpe = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        bpe.addText("What is 2 + 3? 5. Reverse the word: abc. Convert 3 km to m. ANSWER: x");
        BpeModel tok = bpe.train(280);
        ByteArrayOutputStream tokBytes = new ByteArrayOutputStream();
        TiktokenFile.write(tok.ranks(), tokBytes);
        ModelShape shape = new ModelShape(16, 1, 4, 2, 32, tok.ranks().size() + Llama3Tokenizer.SPECIAL_TOKEN_COUNT,
                1e-5f, 10000, Optional.empty(), false, 128);
        LlamaParameters p = new LlamaParameters(shape);
        p.initialize(1, 0.05);
        TrainingState s = new TrainingState(shape, 0, p.values(), new float[p.size()], new float[p.size()], 0,
                LoaderPosition.START, 0, 0, 0, 0, new long[0], tokBytes.toByteArray());
        PostTrainRun.writeAtomically(dir.resolve("base.l3jc"), o -> CheckpointCodec.write(s, o));
        DemoData.writeSft(SyntheticTasks.generate(8, 1), dir.resolve("sft.jsonl"));
        String recipe = """
                method: sft
                model: base.l3jc
                data: {train: sft.jsonl, badRecords: reject}
                batchSize: 2
                steps: 2
                optimizer: {lr: 1.0e-3}
                threads: 1
                out: run
                """;
        Files.writeString(dir.resolve("sft.yaml"), recipe);
        CliTest.Run ok = CliTest.run("finetune", "--recipe", dir.resolve("sft.yaml").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("sft finished: {loss="), ok.out());
        assertTrue(Files.exists(dir.resolve("run/model.l3jc")) && Files.exists(dir.resolve("run/loss.png")));

        Files.writeString(dir.resolve("sft.jsonl"), "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n",
                java.nio.file.StandardOpenOption.APPEND);
        CliTest.Run bad = CliTest.run("finetune", "--recipe", dir.resolve("sft.yaml").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("sft.jsonl:9: no assistant message"), bad.err());
    }
}
