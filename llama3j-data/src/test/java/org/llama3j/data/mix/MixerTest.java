package org.llama3j.data.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.llama3j.data.Document;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;

class MixerTest {

    static String words(int n) {
        return "w ".repeat(n).strip();
    }

    /** 100 web, 30 code and 10 math documents of 100 tokens each, plus 5 "spam" documents. */
    static List<Document> corpus() {
        List<Document> docs = new ArrayList<>();
        String[][] spec = {{"web", "100"}, {"code", "30"}, {"math", "10"}, {"spam", "5"}};
        for (String[] s : spec) {
            for (int i = 0; i < Integer.parseInt(s[1]); i++) {
                docs.add(new Document(s[0] + i, words(100), Map.of("category", s[0], "quality", i % 2 == 0 ? 0.9 : 0.1)));
            }
        }
        return docs;
    }

    /** Kept token count per category, and removal reasons with counts. */
    static <S, D extends java.io.Serializable> Map<String, Long> run(GlobalStep<S, D> step, List<Document> docs,
                                                                      List<String> keptIds) {
        List<Keyed<S>> sigs = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            sigs.add(new Keyed<>(i, step.signature(docs.get(i))));
        }
        D d = step.decide(sigs.stream());
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < docs.size(); i++) {
            switch (step.apply(i, docs.get(i), d)) {
                case Verdict.Keep k -> {
                    String c = k.document().meta("mix_category") != null ? k.document().meta("mix_category")
                            : k.document().meta("anneal_category");
                    out.merge(c, 100L, Long::sum);
                    keptIds.add(k.document().id());
                }
                case Verdict.Remove r -> out.merge("-" + r.reason(), 1L, Long::sum);
            }
        }
        return out;
    }

    @Test
    void samplesToTargetTokenProportions() {
        Map<String, Double> targets = new LinkedHashMap<>();
        targets.put("web", 0.5);
        targets.put("code", 0.3);
        targets.put("math", 0.2);
        // T = min(10000/0.5, 3000/0.3, 1000/0.2) = 5000 tokens: web 2500, code 1500, math 1000
        var mixer = new Mixer(new Mixer.Config("category", "source", Map.of(), targets, 0, 7, "whitespace"));
        List<String> kept = new ArrayList<>();
        Map<String, Long> result = run(mixer, corpus(), kept);
        assertEquals(Map.of("web", 2500L, "code", 1500L, "math", 1000L, "-category_not_in_mix", 5L,
                "-not_sampled", 90L), result); // 75 web + 15 code
        List<String> again = new ArrayList<>();
        run(mixer, corpus(), again);
        assertEquals(kept, again, "same seed, same selection");
        List<String> otherSeed = new ArrayList<>();
        run(new Mixer(new Mixer.Config("category", "source", Map.of(), targets, 0, 8, "whitespace")), corpus(), otherSeed);
        assertNotEquals(kept, otherSeed);
        // a token cap scales everything down: T = 1000 -> web 500, code 300, math 200
        List<String> capped = new ArrayList<>();
        assertEquals(Map.of("web", 500L, "code", 300L, "math", 200L, "-category_not_in_mix", 5L, "-not_sampled", 130L), // 95 + 27 + 8
                run(new Mixer(new Mixer.Config("category", "source", Map.of(), targets, 1000, 7, "whitespace")),
                        corpus(), capped));
    }

    @Test
    void sourcesMapToCategories() {
        List<Document> docs = List.of(new Document("a", words(100), Map.of("source", "cc")),
                new Document("b", words(100), Map.of("source", "github")),
                new Document("c", words(100), Map.of("source", "unknown")));
        var mixer = new Mixer(new Mixer.Config("category", "source", Map.of("cc", "web", "github", "code"),
                Map.of("web", 1.0, "code", 1.0), 0, 1, "whitespace"));
        List<String> kept = new ArrayList<>();
        Map<String, Long> r = run(mixer, docs, kept);
        assertEquals(List.of("a", "b"), kept);
        assertEquals(1L, r.get("-category_not_in_mix"));
    }

    @Test
    void annealingTakesOnlyHighQualityWithinBudget() {
        // eligible: even-numbered (quality 0.9) code and math docs: 15 code (1500 tokens), 5 math (500 tokens)
        // budget 600 at 50/50 -> T = min(1500/0.5, 500/0.5, 600) = 600: 300 code, 300 math
        var anneal = new AnnealingSelector(new AnnealingSelector.Config("category", Map.of("code", 0.5, "math", 0.5),
                "quality", 0.8, 600, 3, "whitespace"));
        List<String> kept = new ArrayList<>();
        Map<String, Long> r = run(anneal, corpus(), kept);
        assertEquals(300L, r.get("code"));
        assertEquals(300L, r.get("math"));
        assertEquals(145L - 20, r.get("-not_eligible_for_annealing"));
        assertEquals(14L, r.get("-not_sampled"));
        kept.forEach(id -> assertEquals(0, Integer.parseInt(id.replaceAll("\\D", "")) % 2, id));
    }

    @Test
    void invalidTargetsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Mixer(Mixer.Config.DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> new Mixer(new Mixer.Config("category", "source", Map.of(),
                Map.of("web", -1.0), 0, 0, "whitespace")));
    }
}
