package org.llama3j.data.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.io.Json;
import org.llama3j.data.step.StepStats;

/**
 * {@code data demo} on small hand-made source files (no network): scoped filters touch only their
 * sources, the classifier trained on the mail labels removes spam, every step balances, and the run
 * ends in trainer shards tokenized with a GGUF model's tokenizer.
 */
class DataDemoTest {
    static final Path VOCAB = Path.of("../llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf");

    static String line(String id, String text, String category, String source, String extraKey, String extra) {
        var o = Json.MAPPER.createObjectNode().put("id", id).put("text", text).put("category", category)
                .put("source", source);
        if (extraKey != null) {
            o.put(extraKey, extra);
        }
        return o.toString();
    }

    /** Pseudo-English without repeated n-grams (random 3-8 letter words, a stop word every fourth word). */
    static String prose(int seed, int words) {
        String[] stop = {"the", "and", "of", "that", "with", "to"};
        java.util.Random rnd = new java.util.Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i % 4 == 3) {
                sb.append(stop[rnd.nextInt(stop.length)]);
            } else {
                int len = 3 + rnd.nextInt(6);
                for (int k = 0; k < len; k++) {
                    sb.append((char) ('a' + rnd.nextInt(26)));
                }
            }
            sb.append(i % 12 == 11 ? ". " : " ");
        }
        return sb.toString().strip() + ".";
    }

    static void writeSources(Path work) throws IOException {
        Path src = work.resolve("sources");
        Files.createDirectories(src);
        List<String> general = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            general.add(line("brown/ca0" + i, prose(i, 400), "general", "brown", null, null));
        }
        general.add(line("brown/short", "Too short for Gopher.", "general", "brown", null, null));
        for (int i = 0; i < 5; i++) {
            general.add(line("nlp-corpus/doc-" + i, "A single sentence number " + i + " about the city.", "general",
                    "nlp-corpus", null, null));
        }
        Files.write(src.resolve("general.jsonl"), general);
        List<String> mail = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            mail.add(line("spam-assassin/easy-ham-1/" + i, "Hi Bob, the meeting notes for project review " + i
                    + " are attached; see the agenda and the build logs.", "mail", "spam-assassin", "label", "ham"));
            mail.add(line("spam-assassin/spam-1/" + i, "FREE money!!! Click here to claim your prize " + i
                    + " now, limited offer, viagra casino winner.", "mail", "spam-assassin", "label", "spam"));
        }
        Files.write(src.resolve("mail.jsonl"), mail);
        Files.write(src.resolve("code.jsonl"), List.of(
                line("jdk/java.base/java/util/A.java", "package a;\nclass A { int x; }\n", "code", "jdk", "lang", "java"),
                line("jdk/java.base/java/util/B.java", "package b;\nclass B { int y = 1; }\n", "code", "jdk", "lang", "java")));
        Files.write(src.resolve("multilingual.jsonl"), List.of(
                line("fortunes/fortunes-de/0", "Wer andern eine Grube gräbt, fällt selbst hinein. Morgenstund hat Gold im Mund.",
                        "multilingual", "fortunes", "lang", "de")));
    }

    @Test
    void demoRunsTheScopedPipelineIntoShards(@TempDir Path work) throws IOException {
        writeSources(work);
        DataDemo.Result r = DataDemo.run(new DataDemo.Options(work, VOCAB, Set.copyOf(DemoSources.ALL), 2), null);
        assertEquals(12, r.sourceDocuments().get("general"));
        assertEquals(60, r.sourceDocuments().get("mail"));
        assertTrue(r.classifier().auc() > 0.9, "AUC " + r.classifier().auc());
        for (StepStats s : r.pipeline().stats()) {
            assertTrue(s.balanced(), s.toString());
        }
        // Gopher ran on Brown only: it saw 7 documents and removed the short one; nlp-corpus sentences passed
        StepStats gopher = r.pipeline().stats("gopher_quality");
        assertEquals(75, gopher.input()); // every document passes through; only Brown ones are judged
        assertEquals(1, gopher.removedTotal(), gopher.toString());
        List<String> removedIds = removals(work.resolve("out/removals"), "gopher_quality");
        assertEquals(List.of("brown/short"), removedIds);
        // the classifier removed spam and only mail
        List<String> classified = removals(work.resolve("out/removals"), "quality_classifier");
        assertTrue(classified.size() >= 25, "spam removed: " + classified.size());
        assertTrue(classified.stream().allMatch(id -> id.startsWith("spam-assassin/spam-")), classified.toString());
        // code went through every prose filter untouched
        assertTrue(Files.readString(work.resolve("pipeline.yaml")).contains("only: {source: brown}"));
        Path tokens = work.resolve("out/tokens");
        try (Stream<Path> s = Files.list(tokens)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("train-")), "train shards in " + tokens);
        }
    }

    @Test
    void badOptionsAreRejected(@TempDir Path work) {
        assertThrows(IllegalArgumentException.class,
                () -> new DataDemo.Options(work, VOCAB, Set.of("web"), 1));
        assertThrows(IllegalArgumentException.class, () -> new DataDemo.Options(work, VOCAB, Set.of(), 1));
        assertThrows(RuntimeException.class, () -> DataDemo.run(
                new DataDemo.Options(work, work.resolve("missing.gguf"), Set.of("code"), 1), null));
    }

    static List<String> removals(Path dir, String step) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                for (String l : Files.readAllLines(f)) {
                    JsonNode n = Json.MAPPER.readTree(l);
                    if (step.equals(n.path("step").asText())) {
                        ids.add(n.path("id").asText());
                    }
                }
            }
        }
        ids.sort(null);
        return ids;
    }
}
