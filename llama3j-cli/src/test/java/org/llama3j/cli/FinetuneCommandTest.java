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
import org.llama3j.tensor.DType;
import org.llama3j.train.export.GgufExporter;
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

/**
 * {@code llama3j finetune --recipe}: a two-step SFT run, and a malformed dataset rejected with exit code 2;
 * a LoRA SFT recipe on a Q8_0 GGUF base whose adapter {@code generate --lora} then loads.
 */
class FinetuneCommandTest {

    @TempDir
    Path dir;

    @Test
    void sftRecipeRunsAndBadRecordsAreRejected() throws Exception {
        writeBase(16);
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

    @Test
    void sftLoraRecipeOnAQuantizedBaseThenGenerateWithTheAdapter() throws Exception {
        TrainingState s = writeBase(32);
        GgufExporter.export(s, dir.resolve("base-q8_0.gguf"), DType.Q8_0);
        DemoData.writeSft(SyntheticTasks.generate(8, 1), dir.resolve("sft.jsonl"));
        Files.writeString(dir.resolve("sft-lora.yaml"), """
                method: sft
                model: base-q8_0.gguf
                data: {train: sft.jsonl}
                batchSize: 2
                steps: 3
                optimizer: {lr: 1.0e-2, warmupSteps: 1}
                lora: {rank: 4, alpha: 8, targets: [q_proj, v_proj]}
                threads: 1
                out: run-lora
                """);
        CliTest.Run ok = CliTest.run("finetune", "--recipe", dir.resolve("sft-lora.yaml").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.err().contains("LoRA r 4, alpha 8.0 (scale 2.0), dropout 0.0 on [q_proj, v_proj]"), ok.err());
        assertTrue(Files.exists(dir.resolve("run-lora/adapter/adapter_model.safetensors")));
        CliTest.Run gen = CliTest.run("generate", "--model", dir.resolve("base-q8_0.gguf").toString(), "--lora",
                dir.resolve("run-lora/adapter").toString(), "--prompt", "What is", "-n", "4", "--temperature", "0");
        assertEquals(0, gen.code(), gen.err());

        CliTest.Run resumeOther = CliTest.run("finetune", "--resume", "--recipe", writeRank2(dir.resolve("sft-lora.yaml")));
        assertEquals(2, resumeOther.code());
        assertTrue(resumeOther.err().contains("adapter_config.json: the checkpoints were written with LoRA"),
                resumeOther.err());
    }

    private static String writeRank2(Path recipe) throws java.io.IOException {
        Files.writeString(recipe, Files.readString(recipe).replace("rank: 4", "rank: 2"));
        return recipe.toString();
    }

    private TrainingState writeBase(int dim) throws Exception {
        BpeTrainer bpe = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        bpe.addText("What is 2 + 3? 5. Reverse the word: abc. Convert 3 km to m. ANSWER: x");
        BpeModel tok = bpe.train(280);
        ByteArrayOutputStream tokBytes = new ByteArrayOutputStream();
        TiktokenFile.write(tok.ranks(), tokBytes);
        ModelShape shape = new ModelShape(dim, 1, 4, 2, 2 * dim, tok.ranks().size() + Llama3Tokenizer.SPECIAL_TOKEN_COUNT,
                1e-5f, 10000, Optional.empty(), false, 128);
        LlamaParameters p = new LlamaParameters(shape);
        p.initialize(1, 0.05);
        TrainingState s = new TrainingState(shape, 0, p.values(), new float[p.size()], new float[p.size()], 0,
                LoaderPosition.START, 0, 0, 0, 0, new long[0], tokBytes.toByteArray());
        PostTrainRun.writeAtomically(dir.resolve("base.l3jc"), o -> CheckpointCodec.write(s, o));
        return s;
    }
}
