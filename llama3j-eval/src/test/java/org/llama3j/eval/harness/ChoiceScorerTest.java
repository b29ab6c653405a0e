package org.llama3j.eval.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llama3j.Llama;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaModel;

/** Multiple-choice scoring checked against log-likelihoods computed by hand. */
class ChoiceScorerTest {

    /**
     * The bundled model: for each choice, the log-softmax of core's logits at every continuation
     * position, written out here independently (full-sequence forward, then max/sum/log by hand),
     * must equal the harness's log-likelihood; acc and acc_norm must be the hand argmaxes.
     */
    @Test
    void logLikelihoodsEqualHandComputedLogSoftmaxOfCoreLogits() throws Exception {
        try (Llama llama = Llama.load(DefaultModel.PATH)) {
            LanguageModel model = new LlamaLanguageModel(llama);
            String context = "The jury said that the";
            List<String> choices = List.of("election", "man", "investigation was over");
            TaskItem.Choice item = new TaskItem.Choice("x", false, context, choices, 0, " ");
            ChoiceScorer.Outcome o = ChoiceScorer.score(model, item, "");
            double[] hand = new double[choices.size()];
            int bestRaw = 0;
            int bestNorm = 0;
            for (int c = 0; c < choices.size(); c++) {
                hand[c] = handLogLikelihood(llama, context, " " + choices.get(c));
                if (hand[c] > hand[bestRaw]) {
                    bestRaw = c;
                }
                if (hand[c] / choices.get(c).length() > hand[bestNorm] / choices.get(bestNorm).length()) {
                    bestNorm = c;
                }
            }
            // the harness asks core for logits of the continuation rows only, the hand path for all rows:
            // core's GEMM rounds those differently in the last float bits (observed 2.3e-7); a wrong
            // token or position would be off by whole nats
            assertArrayEquals(hand, o.logLikelihoods(), 1e-5);
            assertEquals(bestRaw, o.prediction());
            assertEquals(bestNorm, o.normalizedPrediction());
            assertEquals(-hand[0] / "election".length(), o.goldNllPerChar(), 1e-6);
            // a real, non-degenerate spread: three different log-likelihoods, all negative
            for (double v : hand) {
                org.junit.jupiter.api.Assertions.assertTrue(v < 0 && v > -100, "ll " + v);
            }
        }
    }

    private static double handLogLikelihood(Llama llama, String context, String continuation) {
        int[] ctx = llama.tokenizer().encode(context, true, false);
        int[] whole = llama.tokenizer().encode(context + continuation, true, false);
        for (int i = 0; i < ctx.length; i++) {
            assertEquals(ctx[i], whole[i], "the context tokens are a prefix of the whole encoding here");
        }
        LlamaModel m = llama.model();
        int vocab = m.config().vocabSize();
        InferenceState s = m.newState(whole.length);
        float[] logits = m.forward(s, whole, whole.length, 0);
        double ll = 0;
        for (int p = ctx.length; p < whole.length; p++) {
            int row = (p - 1) * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[row + v]);
            }
            double z = 0;
            for (int v = 0; v < vocab; v++) {
                z += Math.exp(logits[row + v] - max);
            }
            ll += logits[row + whole[p]] - max - Math.log(z);
        }
        return ll;
    }

    /** acc and acc_norm disagree when a long choice has a lower total but a higher per-character likelihood. */
    @Test
    void accAndAccNormAsLmEvalDefinesThem() {
        // ll: "a" -2.0 (1 char) → -2.0/char; "bbbb" -3.0 (4 chars) → -0.75/char; "cc" -2.5 → -1.25/char
        ChoiceScorer.Outcome o = ChoiceScorer.decide(new double[] {-2.0, -3.0, -2.5}, List.of("a", "bbbb", "cc"), 1);
        assertEquals(0, o.prediction());
        assertEquals(1, o.normalizedPrediction());
        assertEquals(0.75, o.goldNllPerChar(), 1e-15);
        // Python len counts code points: "é😀" is 2, not 3 UTF-16 units or 6 bytes
        assertEquals(2, ChoiceScorer.length("é😀"));
        // ties go to the first index, as numpy.argmax
        assertEquals(0, ChoiceScorer.decide(new double[] {-1, -1}, List.of("x", "y"), 0).prediction());
    }

    /** lm-eval's _encode_pair: the context's trailing space moves into the continuation; BOS first. */
    @Test
    void trailingContextWhitespaceMovesIntoTheContinuation() {
        // cost = token code: "Q:" + " x" → whole "Q: x", BOS at 0, continuation tokens ' ' (32) and 'x' (120)
        FakeModel m = new FakeModel((i, t) -> t, 64);
        ContinuationScorer.Scored s = ContinuationScorer.score(m, "Q: ", "x");
        assertEquals(2, s.tokens());
        assertEquals(-(32 + 120) / 10.0, s.logLikelihood(), 1e-12);
        // left truncation to the context length keeps the continuation
        FakeModel small = new FakeModel((i, t) -> i, 4);
        ContinuationScorer.Scored t = ContinuationScorer.score(small, "abcdef", "gh");
        // sequence BOS a b c d e f g h (9) → last 4: e f g h; g, h at positions 2, 3
        assertEquals(-(2 + 3) / 10.0, t.logLikelihood(), 1e-12);
    }
}
