package org.llama3j.data.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.Document;
import org.llama3j.data.filter.LanguageFilter;
import org.llama3j.data.io.Json;
import org.llama3j.data.step.Verdict;

class LanguageIdentifierTest {

    static Map<String, List<String>> heldOut() throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                LanguageIdentifierTest.class.getResourceAsStream("/langid/fortunes-heldout.jsonl"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = Json.MAPPER.readTree(line);
                out.computeIfAbsent(n.get("lang").asText(), k -> new ArrayList<>()).add(n.get("text").asText());
            }
        }
        return out;
    }

    /** Held-out fortunes (never seen in training; written by scripts/data/build-langid.sh): 99.25% when built. */
    @Test
    void shippedModelIsAccurateOnHeldOutFortunes() throws IOException {
        LanguageModel model = LanguageModel.shipped();
        Map<String, List<String>> held = heldOut();
        assertEquals(12, model.languages().size());
        assertEquals(model.languages().stream().sorted().toList(), held.keySet().stream().sorted().toList());
        assertTrue(held.values().stream().mapToInt(List::size).sum() >= 600);
        double acc = LanguageModelTrainer.accuracy(model, held);
        assertTrue(acc >= 0.95, "held-out accuracy " + acc);
        for (Map.Entry<String, List<String>> e : held.entrySet()) {
            double a = LanguageModelTrainer.accuracy(model, Map.of(e.getKey(), e.getValue()));
            assertTrue(a >= 0.85, e.getKey() + " accuracy " + a);
        }
    }

    @Test
    void filterTagsSelectsAndRejectsUndetermined() {
        LanguageFilter onlyEnglish = new LanguageFilter(new LanguageFilter.Config(null, List.of("en"), 0.65,
                "language", "language_score"));
        Document en = new Document("a", "The quick brown fox jumps over the lazy dog while the farmer watches.");
        Document de = new Document("b", "Der schnelle braune Fuchs springt über den faulen Hund, während der Bauer zusieht.");
        Document digits = new Document("c", "12345 67890 -- 3.14");
        Verdict ve = onlyEnglish.process(en);
        Document kept = assertInstanceOf(Verdict.Keep.class, ve).document();
        assertEquals("en", kept.meta("language"));
        assertTrue(Double.parseDouble(kept.meta("language_score")) >= 0.65);
        assertEquals("language_not_selected", assertInstanceOf(Verdict.Remove.class, onlyEnglish.process(de)).reason());
        Verdict.Remove r = assertInstanceOf(Verdict.Remove.class, onlyEnglish.process(digits));
        assertEquals("low_language_confidence", r.reason());
        assertEquals("und 0.000", r.detail());
        LanguageFilter all = new LanguageFilter(LanguageFilter.Config.DEFAULTS);
        assertEquals("de", assertInstanceOf(Verdict.Keep.class, all.process(de)).document().meta("language"));
    }

    @Test
    void trainSaveLoadRoundTripAndCorruptFile(@TempDir Path dir) throws IOException {
        LanguageModel m = LanguageModel.train(Map.of(
                "aa", List.of("aaa aab aba baa", "ab ab ab aa"),
                "xx", List.of("xyz zyx xxy", "zz yy xx")), 1 << 8, 0.5);
        Path f = dir.resolve("m.bin.gz");
        m.save(f);
        LanguageModel back = LanguageModel.load(f);
        assertEquals(m.identify("abba").language(), back.identify("abba").language());
        assertEquals("aa", back.identify("abba").language());
        assertEquals("xx", back.identify("xyzzy").language());
        Files.write(f, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        LanguageIdException e = assertThrows(LanguageIdException.class, () -> LanguageModel.load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
