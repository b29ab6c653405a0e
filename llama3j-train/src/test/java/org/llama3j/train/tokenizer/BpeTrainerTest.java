package org.llama3j.train.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;

class BpeTrainerTest {

    /**
     * Wikipedia's byte pair encoding example, by hand: "aaabdaaabac" has pair counts aa 4
     * (overlapping), ab 2, …; merge aa → Z (256) gives "ZabdZabac"; then ab and Za tie at 2 and
     * the smaller ids (97, 98) win: ab → Y (257); then ZY → X (258) "XdXac".
     */
    @Test
    void wikipediaExampleByHand() {
        BpeTrainer t = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        t.addText("aaabdaaabac");
        BpeModel m = t.train(259);
        assertEquals(259, m.ranks().size());
        assertArrayEquals(new int[] {'a', 'a', 256}, m.merges().get(0));
        assertArrayEquals(new int[] {'a', 'b', 257}, m.merges().get(1));
        assertArrayEquals(new int[] {256, 257, 258}, m.merges().get(2));
        assertEquals(258, m.ranks().get(ByteSequence.utf8("aaab")));
        Tokenizer tok = Llama3Tokenizer.fromRanks(m.ranks());
        assertArrayEquals(new int[] {258, 'd', 258, 'a', 'c'}, tok.encode("aaabdaaabac"));
        assertEquals(259 + 256, tok.vocabularySize());
        assertEquals(259, tok.specialId(Llama3Tokenizer.BEGIN_OF_TEXT));
    }

    /** Counts weight words: "low" ×5, "lower" ×2, "newest" ×6, "widest" ×3 (Sennrich et al. 2016, fig. 1). */
    @Test
    void sennrichExampleMergesByWeightedCounts() {
        BpeTrainer t = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        t.addText("low ".repeat(5) + "lower ".repeat(2) + "newest ".repeat(6) + "widest ".repeat(3));
        BpeModel m = t.train(256 + 4);
        // Llama 3 pieces: "low" 1, " low" 4, " lower" 2, " newest" 6, " widest" 3, " " 1.
        // Pair counts: es 9, st 9, we 8, lo 7, ow 7, " l" 6, " n" 6, ne 6, ew 6, …
        // 1. es (tie with st; (101,115) < (115,116)); 2. (es, t) 9 → est (st is gone: its s was used);
        // 3. we fell to 2 (newest is n e w est now), so lo (tie with ow; (108,111) < (111,119));
        // 4. (lo, w) 7 → low.
        List<String> merged = new ArrayList<>();
        for (int[] merge : m.merges()) {
            merged.add(text(m, merge[2]));
        }
        assertEquals(List.of("es", "est", "lo", "low"), merged);
    }

    @Test
    void trainedTokenizerRoundTripsArbitraryTextAndReproducesTrainingSegmentation() {
        String corpus = corpus(3000, 5);
        BpeTrainer t = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        t.addText(corpus);
        BpeModel m = t.train(360);
        assertEquals(360, m.ranks().size());
        Tokenizer tok = Llama3Tokenizer.fromRanks(m.ranks());
        for (String s : List.of(corpus.substring(0, 500), "Zebra quartz 12345 — ünïcødé ✓ 🦙 <|begin_of_text|>\r\n\t x",
                "", " ", "\u0000\u00ff")) {
            assertEquals(s, tok.decode(tok.encode(s)));
        }
        // Replaying the merges on each training word equals encoding it with the trained ranks.
        Map<String, int[]> replay = new HashMap<>();
        Llama3PreTokenizer.INSTANCE.split(corpus, 0, corpus.length(), (a, b) -> {
            String piece = corpus.substring(a, b);
            replay.computeIfAbsent(piece, p -> applyMerges(m, p));
        });
        int compared = 0;
        for (Map.Entry<String, int[]> e : replay.entrySet()) {
            assertArrayEquals(e.getValue(), tok.encode(e.getKey()), e.getKey());
            compared++;
        }
        assertEquals(replay.size(), compared);
        // The corpus compresses: fewer tokens than bytes by a wide margin.
        int tokens = tok.encode(corpus).length;
        int bytes = corpus.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(true, tokens * 2 < bytes, tokens + " tokens for " + bytes + " bytes");
    }

    private static int[] applyMerges(BpeModel m, String piece) {
        byte[] b = piece.getBytes(StandardCharsets.UTF_8);
        int[] word = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            word[i] = b[i] & 0xFF;
        }
        for (int[] merge : m.merges()) {
            word = BpeTrainer.mergeWord(word, merge[0], merge[1], merge[2]);
        }
        return word;
    }

    private static String text(BpeModel m, int id) {
        for (Map.Entry<ByteSequence, Integer> e : m.ranks().entrySet()) {
            if (e.getValue() == id) {
                return new String(e.getKey().toArray(), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no token " + id);
    }

    /** Seeded toy English: sentences from a small grammar. */
    static String corpus(int words, long seed) {
        String[] subjects = {"the cat", "a dog", "the old man", "my sister", "the llama", "our teacher", "a bird"};
        String[] verbs = {"sees", "likes", "chased", "found", "will paint", "remembers", "sings to"};
        String[] objects = {"the red ball", "a small house", "the river", "two apples", "the garden", "her friend"};
        String[] tails = {".", " today.", " again.", " in the morning.", ", and then it rained.", "!"};
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        int n = 0;
        while (n < words) {
            String s = subjects[r.nextInt(subjects.length)] + " " + verbs[r.nextInt(verbs.length)] + " "
                    + objects[r.nextInt(objects.length)] + tails[r.nextInt(tails.length)];
            sb.append(Character.toUpperCase(s.charAt(0))).append(s, 1, s.length());
            sb.append(r.nextInt(5) == 0 ? "\n" : " ");
            n += s.split(" ").length;
        }
        return sb.toString();
    }
}
