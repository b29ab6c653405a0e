package org.llama3j.eval.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The runner's metrics on {@link FakeModel}, whose log-probabilities are known, computed by hand. */
class EvalRunnerTest {

    @Test
    void perplexityMetricsAsLmEvalDefinesThem() {
        // every token costs 0.1 nats; "ab cd" = 5 tokens, 2 words, 5 bytes; context 3 → windows of 2 predictions
        FakeModel m = new FakeModel((i, t) -> 1, 3);
        Task task = TaskFile.parse("{\"type\":\"perplexity\",\"text\":\"ab cd\"}", "p", "p.jsonl");
        TaskResult r = new EvalRunner(m, m).run(task, 0, null);
        assertEquals(3, m.calls, "5 tokens in windows of ctx-1 = 2 predictions");
        assertEquals(5.0, r.metrics().get("tokens"));
        assertEquals(Math.exp(0.1), r.metrics().get("token_perplexity"), 1e-12);
        assertEquals(Math.exp(0.5 / 2), r.metrics().get("word_perplexity"), 1e-12);
        assertEquals(0.5 / 5 / Math.log(2), r.metrics().get("bits_per_byte"), 1e-12);
    }

    @Test
    void multipleChoiceWithFewShotPrefix() {
        // cost: position only → ll(continuation) = -(sum of positions)/10; longer prompts shift positions
        FakeModel m = new FakeModel((i, t) -> t == 'y' ? 50 : 1, 256);
        Task task = TaskFile.parse("""
                {"type":"multiple_choice","context":"Q","choices":["x","y"],"answer":1,"fewshot":true}
                {"type":"multiple_choice","context":"R","choices":["x","y"],"answer":0}
                {"type":"multiple_choice","context":"S","choices":["y","xxxxxxxx"],"answer":1}
                """, "mc", "mc.jsonl");
        TaskResult r = new EvalRunner(m, m).run(task, 1, null);
        // item 1: " x" costs 0.2 (gold, 0.2 per char), " y" 5.1 → pred 0 = gold. item 2: " y" 5.1 vs " xxxxxxxx" 0.9 → raw pred 1;
        // per char: 5.1/1 vs 0.9/8 → norm pred 1
        assertEquals(1.0, r.metrics().get("acc"));
        assertEquals(1.0, r.metrics().get("acc_norm"));
        assertEquals((0.2 + 0.9 / 8) / 2, r.metrics().get("gold_nll_per_char"), 1e-12);
        assertEquals("Q y\n\n", EvalRunner.fewshotPrefix(task.fewshotPool(), 1));
        assertThrows(IllegalArgumentException.class, () -> new EvalRunner(m, m).run(task, 2, null));
    }

    @Test
    void generationExactMatchAndRegex() {
        // FakeModel.generate answers " <prompt length>\nrest", cut at the stop strings
        TaskItem.Generation exact = new TaskItem.Generation("a", false, "12+3=", Optional.of("5"), Optional.empty(), 8,
                List.of("\n"));
        assertTrue(GenerationScorer.correct(exact, " 5"));
        assertFalse(GenerationScorer.correct(exact, " 15"));
        TaskItem.Generation regex = new TaskItem.Generation("b", false, "p", Optional.of("42"),
                Optional.of("answer is (\\d+)"), 8, List.of());
        assertTrue(GenerationScorer.correct(regex, "the answer is 42."));
        assertFalse(GenerationScorer.correct(regex, "the answer is 41."));
        TaskItem.Generation found = new TaskItem.Generation("c", false, "p", Optional.empty(), Optional.of("\\d"), 8,
                List.of());
        assertTrue(GenerationScorer.correct(found, "x9"));
        FakeModel m = new FakeModel((i, t) -> 1, 64);
        Task task = TaskFile.parse("""
                {"type":"generation","prompt":"12+3=","target":"5"}
                {"type":"generation","prompt":"1+3=","target":"3"}
                """, "g", "g.jsonl");
        TaskResult r = new EvalRunner(m, m).run(task, 0, null);
        assertEquals(0.5, r.metrics().get("exact_match"));
        assertEquals(" 5", r.perItem().get(0).get("generated"));
        assertEquals(Math.sqrt(0.5 / 2), r.metrics().get("exact_match_stderr"), 1e-12);
    }

    /** A {@code "chat": true} item is answered through {@link LanguageModel#chat}, not as a text continuation. */
    @Test
    void chatItemsGoThroughTheChatTemplate() {
        // FakeModel.chat answers "reply to <message>\nrest", cut at the stop strings
        FakeModel m = new FakeModel((i, t) -> 1, 64);
        Task task = TaskFile.parse("""
                {"type":"generation","prompt":"Hi!","target":"reply to Hi!","chat":true}
                {"type":"generation","prompt":"Hi!","target":"reply to Hi!"}
                {"type":"generation","prompt":"Yo","target":"reply to Hi!","chat":true}
                {"type":"generation","prompt":"3=","target":"2","fewshot":true}
                """, "c", "c.jsonl");
        TaskResult r = new EvalRunner(m, m).run(task, 0, null);
        assertEquals(List.of("reply to Hi!", " 3", "reply to Yo"), r.perItem().stream().map(x -> x.get("generated")).toList());
        assertEquals(1.0 / 3, r.metrics().get("exact_match"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new EvalRunner(m, m).run(task, 1, null),
                "a few-shot text prefix cannot go in front of a chat turn");
    }

    @Test
    void preferenceJudgeAveragesBothOrders() {
        // judge prefers whatever answer is labelled A: ll(" A") = -0.1 - 0.1, ll(" B") = -0.1 - 0.3 per FakeModel
        FakeModel judge = new FakeModel((i, t) -> t == 'B' ? 3 : 1, 4096);
        PreferenceJudge j = new PreferenceJudge(judge);
        double pA = 1 / (1 + Math.exp(-0.2));
        assertEquals(pA, j.preferA("q", "x", "y"), 1e-12);
        assertEquals(0.5, j.preferCandidate("q", "x", "y"), 1e-12, "pure position bias cancels out");
    }
}
