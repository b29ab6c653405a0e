package org.llama3j.data.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.llama3j.data.Document;
import org.llama3j.data.step.Keyed;
import org.llama3j.data.step.Verdict;

class TokenKlDivergenceFilterTest {

    @Test
    void divergenceMatchesHandComputation() {
        var f = new TokenKlDivergenceFilter(new TokenKlDivergenceFilter.Config("whitespace", 5, 1.0, 1 << 20, 1));
        Document d1 = new Document("1", "a a b");
        Document d2 = new Document("2", "a b b");
        var q = f.decide(java.util.stream.Stream.of(new Keyed<>(0, f.signature(d1)), new Keyed<>(1, f.signature(d2))));
        assertEquals(6, q.total());
        assertEquals(2, q.vocabulary());
        // Q(a) = Q(b) = (3+1)/(6+2) = 0.5; P = (2/3, 1/3)
        // KL = 2/3 ln(4/3) + 1/3 ln(2/3) = 0.191788 - 0.135155 = 0.056633
        assertEquals(0.0566330, f.divergence(f.signature(d1), q), 1e-6);
    }

    @Test
    void outlierDocumentIsRemovedAndOrdinaryOnesKept() {
        var f = new TokenKlDivergenceFilter(new TokenKlDivergenceFilter.Config("whitespace", 2.0, 1.0, 1 << 20, 20));
        Random r = new Random(7);
        String[] vocab = "the of and to in is was for on that with as by at from his her it be are".split(" ");
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 100; j++) {
                sb.append(vocab[r.nextInt(vocab.length)]).append(' ');
            }
            docs.add(new Document("n" + i, sb.toString()));
        }
        StringBuilder junk = new StringBuilder();
        for (int j = 0; j < 100; j++) {
            junk.append(Long.toHexString(r.nextLong())).append(' ');
        }
        docs.add(new Document("junk", junk.toString()));
        docs.add(new Document("short", "zzz yyy")); // under minTokens: kept unjudged
        List<Keyed<int[]>> sigs = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            sigs.add(new Keyed<>(i, f.signature(docs.get(i))));
        }
        var q = f.decide(sigs.stream());
        double maxNormal = 0;
        for (int i = 0; i < 50; i++) {
            maxNormal = Math.max(maxNormal, f.divergence(f.signature(docs.get(i)), q));
            assertInstanceOf(Verdict.Keep.class, f.apply(i, docs.get(i), q));
        }
        double junkKl = f.divergence(f.signature(docs.get(50)), q);
        assertTrue(maxNormal < 0.5, "ordinary documents stay close to the corpus: " + maxNormal);
        // P uniform over 100 unseen-elsewhere tokens; Q of each = 2/(5102+122): KL = ln(0.01 * 5224/2) = 3.26
        assertEquals(Math.log(0.01 * (5102 + 122) / 2.0), junkKl, 0.05);
        Verdict.Remove rm = assertInstanceOf(Verdict.Remove.class, f.apply(50, docs.get(50), q));
        assertEquals("token_kl_outlier", rm.reason());
        assertInstanceOf(Verdict.Keep.class, f.apply(51, docs.get(51), q));
    }
}
