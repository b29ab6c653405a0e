package org.llama3j.data.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llama3j.data.Document;
import org.llama3j.data.step.GlobalStep;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;

class DeduplicatorsTest {

    /** Runs a global step's three phases over an in-memory list, returning kept texts or "-reason". */
    static <S, D extends java.io.Serializable> List<String> run(GlobalStep<S, D> step, List<Document> docs) {
        List<Keyed<S>> sigs = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            sigs.add(new Keyed<>(i, step.signature(docs.get(i))));
        }
        D decision = step.decide(sigs.stream());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            out.add(switch (step.apply(i, docs.get(i), decision)) {
                case Verdict.Keep k -> k.document().text();
                case Verdict.Remove r -> "-" + r.reason();
            });
        }
        return out;
    }

    @Test
    void exactDedupKeepsFirst() {
        var docs = List.of(new Document("1", "A"), new Document("2", "B"), new Document("3", "A"), new Document("4", "C"),
                new Document("5", "B"), new Document("6", "a"));
        assertEquals(List.of("A", "B", "-exact_duplicate", "C", "-exact_duplicate", "a"),
                run(new ExactDeduplicator(ExactDeduplicator.Config.DEFAULTS), docs));
        var normalizing = new ExactDeduplicator(new ExactDeduplicator.Config(true));
        assertEquals("-exact_duplicate", run(normalizing, List.of(new Document("1", "Hello  World"),
                new Document("2", " hello world\n"))).get(1));
        var d = normalizing.decide(java.util.stream.Stream.of(
                new Keyed<>(0, normalizing.signature(new Document("x", "A"))),
                new Keyed<>(1, normalizing.signature(new Document("y", "a")))));
        assertEquals(Map.of(1L, "duplicate of x"), d.removed());
    }

    @Test
    void urlDedupKeepsNewest() {
        var docs = List.of(
                new Document("1", "v2020", Map.of("url", "https://e.com/a", "date", "2020-01-01")),
                new Document("2", "v2023", Map.of("url", "https://e.com/a#frag", "date", "2023-05-01T00:00:00Z")),
                new Document("3", "v2021", Map.of("url", " https://e.com/a", "date", "2021-06-30T12:00:00")),
                new Document("4", "nodate", Map.of("url", "https://e.com/a")),
                new Document("5", "other", Map.of("url", "https://e.com/b", "date", "1999-01-01")),
                new Document("6", "nourl"),
                new Document("7", "tie-first", Map.of("url", "https://e.com/c", "date", "2022-01-01")),
                new Document("8", "tie-second", Map.of("url", "https://e.com/c", "date", "2022-01-01")));
        assertEquals(List.of("-url_duplicate", "v2023", "-url_duplicate", "-url_duplicate", "other", "nourl",
                "tie-first", "-url_duplicate"), run(new UrlDeduplicator(UrlDeduplicator.Config.DEFAULTS), docs));
    }

    @Test
    void lineDedupRemovesLinesAboveTheThresholdPerBucket() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            docs.add(new Document("d" + i, "Accept cookies\nunique line " + i + "\n\nSubscribe now"));
        }
        docs.add(new Document("d4", "Subscribe now\n  Accept cookies  "));
        // "Accept cookies" (stripped) is in 5 documents, "Subscribe now" in 5, "unique line i" in 1
        var dedup = new LineDeduplicator(new LineDeduplicator.Config(4, 100));
        assertEquals(List.of("unique line 0\n", "unique line 1\n", "unique line 2\n", "unique line 3\n",
                "-all_lines_duplicated"), run(dedup, docs));
        // at most 5 occurrences allowed: nothing changes
        assertEquals(docs.stream().map(Document::text).toList(),
                run(new LineDeduplicator(new LineDeduplicator.Config(5, 100)), docs));
        // buckets of 2 documents: no line occurs more than 4 times within a bucket
        assertEquals(docs.stream().map(Document::text).toList(),
                run(new LineDeduplicator(new LineDeduplicator.Config(4, 2)), docs));
    }

    @Test
    void lineDedupBucketsAreContiguousInKeyOrder() {
        var dedup = new LineDeduplicator(new LineDeduplicator.Config(1, 2));
        var docs = List.of(new Document("a", "x\ny"), new Document("b", "x\nz"), new Document("c", "x\nw"));
        // bucket 1 = {a, b}: x occurs twice > 1 -> removed; bucket 2 = {c}: x once -> kept
        assertEquals(List.of("y", "z", "x\nw"), run(dedup, docs));
        var decision = dedup.decide(java.util.stream.Stream.of(new Keyed<>(0, dedup.signature(docs.get(0))),
                new Keyed<>(1, dedup.signature(docs.get(1))), new Keyed<>(2, dedup.signature(docs.get(2)))));
        assertEquals(2, decision.bucketStarts().length);
        assertInstanceOf(Verdict.Keep.class, dedup.apply(2, docs.get(2), decision));
    }
}
