package org.llama3j.data.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.exec.PipelineResult;
import org.llama3j.data.filter.GopherQualityFilter;
import org.llama3j.data.io.Compression;
import org.llama3j.data.step.PipelineStep;

class PipelineConfigParserTest {

    static final String VALID = """
            input:
              paths: [raw/*.jsonl]
              maxDocumentChars: 100000
            output: out
            threads: 2
            outputCompression: gzip
            steps:
              - type: gopher_quality
                minDocWords: 10
              - type: gopher_repetition
                topNGrams: [{n: 2, maxFraction: 0.25}]
              - type: c4_quality
                filterJavascript: false
              - type: fineweb_quality
              - type: url_blocklist
                domains: [example.com]
              - type: dirty_words
                maxFraction: 0.01
              - type: exact_dedup
              - type: url_dedup
              - type: line_dedup
                maxOccurrences: 6
                bucketSize: 1000
              - type: minhash_dedup
                bands: 20
                rows: 5
              - type: quality_classifier
                modelPath: model.bin
                minScore: 0.2
              - type: language_id
                languages: [en, de]
              - type: semantic_dedup
                modelPath: tok.model
                threshold: 0.9
              - type: token_kl
                maxKl: 6.5
              - type: mix
                targets: {web: 0.5, code: 0.5}
              - type: anneal
                targets: {code: 1.0}
                tokenBudget: 1000
              - type: tokenize
                tokenizer: tok.model
                valFraction: 0.1
            """;

    static Path rawDir(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("raw"));
        Files.writeString(dir.resolve("raw/b.jsonl"), "{\"text\":\"b\"}\n");
        Files.writeString(dir.resolve("raw/a.jsonl"), "{\"text\":\"a\"}\n");
        Files.writeString(dir.resolve("raw/notes.txt"), "not matched\n");
        Files.writeString(dir.resolve("tok.model"), "YQ== 0\n"); // only its existence is checked at parse time
        org.llama3j.data.classify.LinearTextClassifier.train(List.of(
                        new org.llama3j.data.classify.LinearTextClassifier.Example("the river and the garden", true),
                        new org.llama3j.data.classify.LinearTextClassifier.Example("buy cheap pills now", false)),
                new org.llama3j.data.classify.LinearTextClassifier.TrainConfig(1024, 2, 3, 0.5, 0, 1)).save(dir.resolve("model.bin"));
        return dir;
    }

    static PipelineConfigException error(Path dir, String yaml) {
        return assertThrows(PipelineConfigException.class, () -> PipelineConfigParser.parse(yaml, dir, "p.yaml"));
    }

    @Test
    void validConfigBuildsEveryStepTypeWithOverridesAndDefaults(@TempDir Path dir) throws Exception {
        PipelineSpec spec = PipelineConfigParser.parse(VALID, rawDir(dir), "p.yaml");
        assertEquals(List.of(dir.resolve("raw/a.jsonl"), dir.resolve("raw/b.jsonl")), spec.inputs());
        assertEquals(List.of("gopher_quality", "gopher_repetition", "c4_quality", "fineweb_quality", "url_blocklist",
                "dirty_words", "exact_dedup", "url_dedup", "line_dedup", "minhash_dedup", "quality_classifier", "language_id", "semantic_dedup", "token_kl",
                "mix", "anneal", "tokenize"),
                spec.pipeline().steps().stream().map(PipelineStep::name).toList());
        assertEquals(StepRegistry.types().size(), spec.pipeline().steps().size(), "every registered type is covered");
        assertEquals(2, spec.executor().threads());
        assertEquals(Compression.GZIP, spec.executor().outputCompression());
        assertEquals(org.llama3j.data.io.OutputFormat.JSONL, spec.executor().outputFormat());
        assertEquals(dir.resolve("out/part-00003.jsonl.gz"), spec.executor().finalOutput(3));
        assertEquals(dir.resolve("out"), spec.executor().outputDir());
        assertEquals(dir.resolve("out/_work"), spec.executor().workDir());
        assertEquals(100000, spec.pipeline().reader().maxDocumentChars());
        // minDocWords overridden, everything else keeps the published default
        var gq = (GopherQualityFilter) spec.pipeline().steps().getFirst();
        var tenWords = new org.llama3j.data.Document("d", "that that that that that that that that that that");
        assertTrue(gq.process(tenWords) instanceof org.llama3j.data.step.Verdict.Keep, "minDocWords: 10 applied");
        var nineWords = new org.llama3j.data.Document("d", "that that that that that that that that that");
        assertTrue(gq.process(nineWords) instanceof org.llama3j.data.step.Verdict.Remove);
        var hashes = new org.llama3j.data.Document("d", tenWords.text() + " # #");
        assertTrue(gq.process(hashes) instanceof org.llama3j.data.step.Verdict.Remove, "default hash ratio 0.1 kept: 2/12");
        assertEquals(spec.pipeline().fingerprint(), PipelineConfigParser.parse(VALID, dir, "p.yaml").pipeline().fingerprint());
        String changed = VALID.replace("minDocWords: 10", "minDocWords: 11");
        assertTrue(!spec.pipeline().fingerprint().equals(PipelineConfigParser.parse(changed, dir, "p.yaml").pipeline().fingerprint()));
        String moreThreads = VALID.replace("threads: 2", "threads: 3");
        assertEquals(spec.pipeline().fingerprint(), PipelineConfigParser.parse(moreThreads, dir, "p.yaml").pipeline().fingerprint(),
                "the thread count does not change what is computed");
    }

    @Test
    void unknownStepTypeIsNamed(@TempDir Path dir) throws Exception {
        var e = error(rawDir(dir), "input: {paths: raw}\noutput: out\nsteps:\n  - type: gopher_qualty\n");
        assertTrue(e.getMessage().contains("p.yaml: steps[0]: unknown step type 'gopher_qualty'"), e.getMessage());
        assertTrue(e.getMessage().contains("gopher_quality"), "lists the known types: " + e.getMessage());
    }

    @Test
    void unknownStepKeyIsNamed(@TempDir Path dir) throws Exception {
        var e = error(rawDir(dir), "input: {paths: raw}\noutput: out\nsteps:\n  - type: exact_dedup\n  - type: gopher_quality\n    min_doc_words: 5\n");
        assertTrue(e.getMessage().contains("steps[1] (gopher_quality): unknown key 'min_doc_words'"), e.getMessage());
        assertTrue(e.getMessage().contains("minDocWords"), e.getMessage());
    }

    @Test
    void onlyScopesAPerDocumentFilterToMatchingMetadata(@TempDir Path dir) throws Exception {
        PipelineSpec spec = PipelineConfigParser.parse("input: {paths: raw}\noutput: out\nsteps:\n"
                + "  - type: gopher_quality\n    only: {category: [general, mail], source: brown}\n", rawDir(dir), "p.yaml");
        var step = (org.llama3j.data.step.ScopedStep) spec.pipeline().steps().getFirst();
        assertEquals("gopher_quality", step.name());
        var brown = new org.llama3j.data.Document("1", "short", java.util.Map.of("category", "general", "source", "brown"));
        var nlp = new org.llama3j.data.Document("2", "short", java.util.Map.of("category", "general", "source", "nlp"));
        var none = new org.llama3j.data.Document("3", "short", java.util.Map.of());
        // a two-word document fails Gopher's 50-word minimum, but only where the filter applies
        assertTrue(step.process(brown) instanceof org.llama3j.data.step.Verdict.Remove);
        assertTrue(step.process(nlp) instanceof org.llama3j.data.step.Verdict.Keep);
        assertTrue(step.process(none) instanceof org.llama3j.data.step.Verdict.Keep);
    }

    @Test
    void onlyIsRefusedOnCorpusWideStepsAndMustNameValues(@TempDir Path dir) throws Exception {
        var e = error(rawDir(dir), "input: {paths: raw}\noutput: out\nsteps:\n  - type: exact_dedup\n    only: {category: code}\n");
        assertTrue(e.getMessage().contains("steps[0] (exact_dedup): 'only' is allowed on per-document filters"), e.getMessage());
        var e2 = error(rawDir(dir), "input: {paths: raw}\noutput: out\nsteps:\n  - type: c4_quality\n    only: {category: []}\n");
        assertTrue(e2.getMessage().contains("'only.category' is an empty list"), e2.getMessage());
        var e3 = error(rawDir(dir), "input: {paths: raw}\noutput: out\nsteps:\n  - type: c4_quality\n    only: general\n");
        assertTrue(e3.getMessage().contains("'only' must map metadata keys"), e3.getMessage());
    }

    @Test
    void badValueTypeIsNamed(@TempDir Path dir) throws Exception {
        var e = error(rawDir(dir), "input: {paths: raw}\noutput: out\nsteps:\n  - type: gopher_quality\n    minDocWords: lots\n");
        assertTrue(e.getMessage().contains("steps[0] (gopher_quality): bad value for key 'minDocWords'"), e.getMessage());
    }

    @Test
    void invalidStepParametersAreNamed(@TempDir Path dir) throws Exception {
        var e = error(rawDir(dir), "input: {paths: raw}\noutput: out\nsteps:\n  - type: mix\n");
        assertTrue(e.getMessage().contains("steps[0] (mix): mix: 'targets' must name"), e.getMessage());
    }

    @Test
    void topLevelMistakesAreNamed(@TempDir Path dir) throws Exception {
        rawDir(dir);
        assertTrue(error(dir, "input: {paths: raw}\noutput: out\nstep: []\n").getMessage()
                .contains("unknown key 'step'"));
        assertTrue(error(dir, "input: {paths: raw, textkey: body}\noutput: out\nsteps: []\n").getMessage()
                .contains("unknown key 'input.textkey'"));
        assertTrue(error(dir, "output: out\nsteps: []\n").getMessage().contains("missing required key 'input'"));
        assertTrue(error(dir, "input: {paths: raw}\nsteps: []\n").getMessage().contains("missing required key 'output'"));
        assertTrue(error(dir, "input: {paths: 'none/*.jsonl'}\noutput: out\nsteps: []\n").getMessage()
                .contains("input path 'none/*.jsonl' matched no files"));
        assertTrue(error(dir, "input: {paths: raw}\noutput: out\nthreads: 0\nsteps: []\n").getMessage()
                .contains("'threads' must be >= 1"));
        assertTrue(error(dir, "input: {paths: raw}\noutput: out\noutputFormat: orc\nsteps: []\n").getMessage()
                .contains("p.yaml: outputFormat: unknown output format 'orc' (known: jsonl, parquet)"));
        assertTrue(error(dir, "input: {paths: raw}\noutput: out\nsteps: {type: x}\n").getMessage()
                .contains("'steps' must be a list"));
        assertTrue(error(dir, "input: [unclosed\n").getMessage().contains("not valid YAML"));
    }

    @Test
    void runnerRunsAYamlFileEndToEnd(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("raw"));
        String good = "The river and the garden of the village have a quiet morning with bright light.";
        Files.writeString(dir.resolve("raw/a.jsonl"), String.join("\n",
                "{\"id\":\"1\",\"text\":\"" + good + "\",\"url\":\"https://ok.org/1\"}",
                "{\"id\":\"2\",\"text\":\"" + good + "\",\"url\":\"https://ok.org/2\"}",
                "{\"id\":\"3\",\"text\":\"short\"}",
                "{\"id\":\"4\",\"text\":\"" + good.replace("river", "harbor") + "\",\"url\":\"https://www.blocked.com/x\"}",
                "not json") + "\n");
        Path yaml = dir.resolve("pipeline.yaml");
        Files.writeString(yaml, """
                input: {paths: raw}
                output: out
                threads: 1
                steps:
                  - type: gopher_quality
                    minDocWords: 5
                  - type: url_blocklist
                    domains: [blocked.com]
                  - type: exact_dedup
                """);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PipelineResult r = PipelineRunner.run(yaml, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String table = buf.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("exact_duplicate=1") && table.contains("blocked_domain=1")
                && table.contains("gopher_short_doc=1") && table.contains("malformed_json=1"), table);
        assertEquals(1, r.stats("exact_dedup").kept());
        List<String> out = Files.readAllLines(dir.resolve("out/part-00000.jsonl"));
        assertEquals(1, out.size());
        assertTrue(out.getFirst().startsWith("{\"id\":\"1\""), out.getFirst());
    }
}
