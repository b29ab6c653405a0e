package org.llama3j.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void greedyTakesLowestIdAmongTies() {
        float[] logits = {1f, 3f, 3f, -2f};
        assertEquals(1, new Sampler(SamplingParams.GREEDY).sample(logits, 0, 4, new int[0], 0));
    }

    @Test
    void topKOneIsGreedyWhateverTheTemperature() {
        float[] logits = {0.1f, 0.2f, 5f, 0.3f};
        var s = new Sampler(SamplingParams.defaults(1).withTopK(1).withTemperature(5f));
        for (int i = 0; i < 50; i++) {
            assertEquals(2, s.sample(logits.clone(), 0, 4, new int[0], 0));
        }
    }

    @Test
    void frequenciesFollowTheSoftmaxAtTemperatureOne() {
        // p = softmax(log(0.5), log(0.3), log(0.2)) = 0.5, 0.3, 0.2
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        var p = new SamplingParams(1f, 0, 1f, 0f, 1f, 64, 123);
        var s = new Sampler(p);
        int[] counts = new int[3];
        int n = 20000;
        for (int i = 0; i < n; i++) {
            counts[s.sample(logits.clone(), 0, 3, new int[0], 0)]++;
        }
        assertEquals(0.5, counts[0] / (double) n, 0.02);
        assertEquals(0.3, counts[1] / (double) n, 0.02);
        assertEquals(0.2, counts[2] / (double) n, 0.02);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // probabilities 0.5, 0.3, 0.2: top-p 0.7 keeps {0, 1} (0.5 < 0.7 <= 0.8)
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        var s = new Sampler(new SamplingParams(1f, 0, 0.7f, 0f, 1f, 64, 5));
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            seen.merge(s.sample(logits.clone(), 0, 3, new int[0], 0), 1, Integer::sum);
        }
        assertEquals(2, seen.size(), seen.toString());
        assertTrue(seen.get(0) > seen.get(1));
    }

    @Test
    void minPDropsUnlikelyTokens() {
        // min-p 0.5 with p = 0.5, 0.3, 0.2: keeps tokens with p >= 0.25 → {0, 1}
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        var s = new Sampler(new SamplingParams(1f, 0, 1f, 0.5f, 1f, 64, 9));
        for (int i = 0; i < 2000; i++) {
            assertTrue(s.sample(logits.clone(), 0, 3, new int[0], 0) != 2);
        }
    }

    @Test
    void repeatPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        float[] logits = {2f, 1.9f, -1f};
        var s = new Sampler(SamplingParams.GREEDY.withRepeatPenalty(1.5f, 64));
        // token 0 seen: 2 / 1.5 = 1.33 < 1.9 → greedy picks 1
        assertEquals(1, s.sample(logits, 0, 3, new int[] {0, 2}, 2));
        assertEquals(-1.5f, logits[2], 1e-6f);
    }

    @Test
    void repeatPenaltyForgetsEarlierCalls() {
        var s = new Sampler(SamplingParams.GREEDY.withRepeatPenalty(1.5f, 64));
        float[] first = {2f, 1.9f, -1f};
        assertEquals(1, s.sample(first, 0, 3, new int[] {0}, 1));
        // the next call has a different history: token 0 is not penalised any more, token 1 is
        float[] second = {2f, 1.9f, -1f};
        assertEquals(0, s.sample(second, 0, 3, new int[] {1}, 1));
        assertEquals(2f, second[0]);
        assertEquals(1.9f / 1.5f, second[1], 1e-6f);
    }

    @Test
    void topKCandidatesAreTheFirstKOfTheFullOrder() {
        // many ties (quarter steps), a few tokens beyond the negligible distance and a NaN
        var rnd = new java.util.Random(11);
        int vocab = 5000;
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = Math.round(rnd.nextGaussian() * 12) / 4f;
        }
        logits[17] = 30f;
        logits[18] = 30f - Sampler.NEGLIGIBLE - 0.5f;
        logits[19] = Float.NaN;
        java.util.List<Integer> eligible = new java.util.ArrayList<>();
        for (int i = 0; i < vocab; i++) {
            if (logits[i] >= 30f - Sampler.NEGLIGIBLE) {
                eligible.add(i);
            }
        }
        eligible.sort((a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        assertTrue(eligible.size() > 1000 && eligible.size() < vocab - 1, "eligible " + eligible.size());
        for (int k : new int[] {1, 7, 40, 1000, vocab}) {
            var s = new Sampler(SamplingParams.defaults(1).withTopK(k));
            int n = s.candidates(logits, 0, vocab);
            assertEquals(Math.min(k, eligible.size()), n, "k = " + k);
            for (int i = 0; i < n; i++) {
                assertEquals(eligible.get(i), s.candidate(i), "k = " + k + ", rank " + i);
            }
        }
    }

    @Test
    void sameSeedSameSequence() {
        float[] logits = new float[1000];
        var rnd = new java.util.Random(3);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) rnd.nextGaussian();
        }
        var a = new Sampler(SamplingParams.defaults(77));
        var b = new Sampler(SamplingParams.defaults(77));
        for (int i = 0; i < 100; i++) {
            assertEquals(a.sample(logits.clone(), 0, 1000, new int[0], 0), b.sample(logits.clone(), 0, 1000, new int[0], 0));
        }
    }

    @Test
    void stopStringsAreCutAndNeverStreamed() {
        var m = new StopStringMatcher(java.util.List.of("END", "\n\n"));
        StringBuilder streamed = new StringBuilder();
        for (String piece : new String[] {"Hello E", "N", "Dgame"}) {
            streamed.append(m.append(piece));
        }
        assertTrue(m.matched());
        assertEquals("Hello ", m.text());
        assertEquals("Hello ", streamed.toString());
        var m2 = new StopStringMatcher(java.util.List.of("END"));
        assertEquals("abc", m2.append("abcE"));
        assertEquals("", m2.append("N"));
        assertEquals("ENx", m2.append("x"));
        assertEquals("", m2.flush());
    }
}
