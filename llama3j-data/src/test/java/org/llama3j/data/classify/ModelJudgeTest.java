package org.llama3j.data.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.llama3j.Llama;
import org.llama3j.model.InferenceState;
import org.llama3j.tokenizer.Tokenizer;

/** The model judge on the shipped default model, against the prompt and probability computed by hand. */
class ModelJudgeTest {

    static final Path MODEL = Path.of("..", "models", "llama3j-default.gguf");

    @Test
    void yesProbabilityIsTheSoftmaxOverTheAnswerTokens() {
        float[] logits = {0f, (float) Math.log(3), 5f, 0f};
        // yes = {1}, no = {0, 3}: 3 / (3 + 1 + 1)
        assertEquals(0.6, ModelJudge.yesProbability(logits, new int[] {1}, new int[] {0, 3}), 1e-7);
        assertEquals(0.75, ModelJudge.yesProbability(logits, new int[] {1}, new int[] {0}), 1e-7);
    }

    @Test
    void scoresThePromptOfTheChatTemplateTokenByToken() throws Exception {
        try (Llama llama = Llama.load(MODEL)) {
            ModelJudge judge = new ModelJudge(llama, "Good text? {text} Answer yes or no.", 12);
            String doc = "The jury said the city was well run.";
            // Meta's reference ChatFormat, written out: header and content tokenized separately, the
            // document cut to 12 characters
            Tokenizer tok = llama.tokenizer();
            int[] expected = concat(
                    new int[] {tok.specialId("<|begin_of_text|>"), tok.specialId("<|start_header_id|>")}, tok.encode("user"),
                    new int[] {tok.specialId("<|end_header_id|>")}, tok.encode("\n\n"),
                    tok.encode("Good text? The jury sai Answer yes or no."),
                    new int[] {tok.specialId("<|eot_id|>"), tok.specialId("<|start_header_id|>")}, tok.encode("assistant"),
                    new int[] {tok.specialId("<|end_header_id|>")}, tok.encode("\n\n"));
            assertArrayEquals(expected, judge.promptTokens(doc));

            // the same probability through the one-token decode path, from the answer tokens chosen by hand
            InferenceState s = llama.model().newState(expected.length);
            float[] logits = null;
            for (int t = 0; t < expected.length; t++) {
                logits = llama.model().forward(s, new int[] {expected[t]}, 1, 0);
            }
            int yes = llama.tokenizer().encode("yes")[0];
            int yesCap = llama.tokenizer().encode("Yes")[0];
            int no = llama.tokenizer().encode("no")[0];
            int noCap = llama.tokenizer().encode("No")[0];
            double py = Math.exp(logits[yes]) + (yesCap == yes ? 0 : Math.exp(logits[yesCap]));
            double pn = Math.exp(logits[no]) + (noCap == no ? 0 : Math.exp(logits[noCap]));
            double score = judge.score(doc);
            assertEquals(py / (py + pn), score, 1e-4);
            System.out.printf("judge P(yes) %.6f%n", score);
        }
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    @Test
    void refusesATemplateWithoutThePlaceholder() throws Exception {
        try (Llama llama = Llama.load(MODEL)) {
            assertThrows(IllegalArgumentException.class, () -> new ModelJudge(llama, "Good text? Answer yes or no.", 100));
        }
    }
}
