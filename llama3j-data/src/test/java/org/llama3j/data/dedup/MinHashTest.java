package org.llama3j.data.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llama3j.data.step.Keyed;

class MinHashTest {

    /** Two sets of n random shingle hashes sharing exactly k: Jaccard k / (2n - k). */
    static long[][] pair(Random r, int n, int k) {
        Set<Long> shared = new HashSet<>();
        while (shared.size() < k) {
            shared.add(r.nextLong());
        }
        List<Long> a = new ArrayList<>(shared);
        List<Long> b = new ArrayList<>(shared);
        while (a.size() < n) {
            a.add(r.nextLong());
        }
        while (b.size() < n) {
            b.add(r.nextLong());
        }
        return new long[][] {a.stream().mapToLong(Long::longValue).toArray(), b.stream().mapToLong(Long::longValue).toArray()};
    }

    @Test
    void estimatedJaccardTracksExactJaccard() {
        Random r = new Random(42);
        MinHasher wide = new MinHasher(1024, 5, 3);
        MinHasher dflt = new MinHasher(112, 5, 3);
        double sumAbsErr = 0;
        double sumErr = 0;
        double maxWideErr = 0;
        int pairs = 100;
        for (int i = 0; i < pairs; i++) {
            int n = 100 + r.nextInt(300);
            int k = r.nextInt(n + 1);
            double exact = (double) k / (2 * n - k);
            long[][] p = pair(r, n, k);
            double est = MinHasher.estimatedJaccard(dflt.signature(p[0]), dflt.signature(p[1]));
            sumAbsErr += Math.abs(est - exact);
            sumErr += est - exact;
            double wideEst = MinHasher.estimatedJaccard(wide.signature(p[0]), wide.signature(p[1]));
            maxWideErr = Math.max(maxWideErr, Math.abs(wideEst - exact));
        }
        // 1024 hashes: standard error <= 0.016, so every pair is within 0.05 of the exact value
        assertTrue(maxWideErr <= 0.05, "max error with 1024 hashes: " + maxWideErr);
        // 112 hashes: standard error up to 0.047 per pair, so the per-pair bound holds on average, without bias
        assertTrue(sumAbsErr / pairs <= 0.05, "mean abs error with 112 hashes: " + sumAbsErr / pairs);
        assertTrue(Math.abs(sumErr / pairs) <= 0.01, "bias with 112 hashes: " + sumErr / pairs);
    }

    @Test
    void identicalTextsHaveIdenticalSignaturesAndPunctuationDoesNotMatter() {
        MinHasher h = new MinHasher(112, 5, 1);
        long[] a = h.signature("The quick brown fox jumps over the lazy dog");
        long[] b = h.signature("the QUICK, brown fox -- jumps over the lazy dog!");
        assertEquals(1.0, MinHasher.estimatedJaccard(a, b));
        assertEquals(0, h.shingles("").length);
        assertEquals(1, h.shingles("only three words").length);
        assertEquals(5, h.shingles("one two three four five six seven eight nine").length);
    }

    /**
     * Shingle hashes are FNV-1a of the joined n-gram string, computed without building it, over words split after
     * lower-casing the whole text: pinned against the straightforward construction and hand-written splits
     * (final sigma, a supplementary-plane letter, digits).
     */
    @Test
    void shinglesEqualHashesOfTheJoinedWordNGrams() {
        String text = "ΟΔΥΣΣΕΥΣ sailed; 𝔘nicode words 42 times, the-end.";
        List<String> words = org.llama3j.data.text.WordTokenizer.lowercaseAlphanumeric(text);
        assertEquals(List.of("οδυσσευς", "sailed", "𝔘nicode", "words", "42", "times", "the", "end"), words);
        MinHasher h = new MinHasher(8, 3, 1);
        long[] shingles = h.shingles(text);
        assertEquals(words.size() - 2, shingles.length);
        for (int i = 0; i < shingles.length; i++) {
            assertEquals(org.llama3j.data.text.Hashing.hash64(String.join(" ", words.subList(i, i + 3))), shingles[i]);
        }
        assertEquals(org.llama3j.data.text.Hashing.hash64("sailed 𝔘nicode words"), shingles[1]);
    }

    /** 1000 pairs at Jaccard exactly 0.8 (n=450, k=400) and 1000 at exactly 0.5 (n=450, k=300). */
    @Test
    void lshRecallAtPoint8AndFalsePositivesAtPoint5() {
        var dedup = new MinHashDeduplicator(MinHashDeduplicator.Config.DEFAULTS);
        MinHasher h = dedup.hasher();
        Random r = new Random(2024);
        int pairs = 1000;
        List<Keyed<MinHashDeduplicator.Signature>> high = new ArrayList<>();
        List<Keyed<MinHashDeduplicator.Signature>> low = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            long[][] p = pair(r, 450, 400);
            high.add(new Keyed<>(2L * i, new MinHashDeduplicator.Signature("h" + i + "a", h.signature(p[0]))));
            high.add(new Keyed<>(2L * i + 1, new MinHashDeduplicator.Signature("h" + i + "b", h.signature(p[1]))));
            long[][] q = pair(r, 450, 300);
            low.add(new Keyed<>(2L * i, new MinHashDeduplicator.Signature("l" + i + "a", h.signature(q[0]))));
            low.add(new Keyed<>(2L * i + 1, new MinHashDeduplicator.Signature("l" + i + "b", h.signature(q[1]))));
        }
        KeyRemovals highDecision = dedup.decide(high.stream());
        KeyRemovals lowDecision = dedup.decide(low.stream());
        int found = 0;
        for (int i = 0; i < pairs; i++) {
            String d = highDecision.removed().get(2L * i + 1);
            if (d != null) {
                assertEquals("near duplicate of h" + i + "a", d); // the first of the pair is kept
                found++;
            }
            assertTrue(!highDecision.removed().containsKey(2L * i), "the first document of a pair is never removed");
        }
        double recall = (double) found / pairs;
        double fpr = (double) lowDecision.size() / pairs;
        // theory for 14 bands x 8 rows: P(candidate | 0.8) = 1 - (1 - 0.8^8)^14 = 0.924; P(candidate | 0.5) = 0.053,
        // of which the estimated-Jaccard check (>= 0.7) rejects nearly all
        assertTrue(recall >= 0.9, "recall at Jaccard 0.8: " + recall);
        assertTrue(fpr <= 0.05, "false-positive rate at Jaccard 0.5: " + fpr);
        System.out.printf("LSH recall@0.8 = %.3f, FPR@0.5 = %.3f%n", recall, fpr);
    }

    @Test
    void bandCollisionsWithoutVerificationFollowTheSCurve() {
        var raw = new MinHashDeduplicator(new MinHashDeduplicator.Config(5, 14, 8, 1, 0, 32));
        MinHasher h = raw.hasher();
        Random r = new Random(99);
        int pairs = 1000;
        List<Keyed<MinHashDeduplicator.Signature>> low = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            long[][] q = pair(r, 450, 300);
            low.add(new Keyed<>(2L * i, new MinHashDeduplicator.Signature("a", h.signature(q[0]))));
            low.add(new Keyed<>(2L * i + 1, new MinHashDeduplicator.Signature("b", h.signature(q[1]))));
        }
        double rate = (double) raw.decide(low.stream()).size() / pairs;
        // expected 0.053 with standard error 0.007
        assertEquals(0.053, rate, 0.025);
    }

    @Test
    void connectedComponentsKeepTheFirstDocument() {
        UnionFind uf = new UnionFind(2);
        int a = uf.add();
        int b = uf.add();
        int c = uf.add();
        int d = uf.add();
        uf.union(c, b); // b~c
        uf.union(b, a); // a~b: a, b, c form one component rooted at a although a and c never met
        assertEquals(a, uf.find(c));
        assertEquals(d, uf.find(d));
    }

    @Test
    void textLevelNearDuplicateIsRemoved() {
        var dedup = new MinHashDeduplicator(MinHashDeduplicator.Config.DEFAULTS);
        Random r = new Random(5);
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            base.append("w").append(r.nextInt(100_000)).append(' ');
        }
        String original = base.toString();
        String edited = original.replaceFirst("w\\d+ ", "changed ") + " one extra tail";
        StringBuilder other = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            other.append("w").append(r.nextInt(100_000)).append(' ');
        }
        var docs = List.of(new org.llama3j.data.Document("orig", original), new org.llama3j.data.Document("other", other.toString()),
                new org.llama3j.data.Document("edit", edited), new org.llama3j.data.Document("empty", "  ... "));
        List<Keyed<MinHashDeduplicator.Signature>> sigs = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            sigs.add(new Keyed<>(i, dedup.signature(docs.get(i))));
        }
        KeyRemovals decision = dedup.decide(sigs.stream());
        assertEquals(java.util.Map.of(2L, "near duplicate of orig"), decision.removed());
    }
}
