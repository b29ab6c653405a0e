package org.llama3j.server.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llama3j.Llama;
import org.llama3j.generate.FinishReason;
import org.llama3j.generate.GenerationResult;
import org.llama3j.generate.SamplingParams;
import org.llama3j.generate.TokenListener;
import org.llama3j.server.TestAccess;

/** The scheduler on its own: batched results equal unbatched ones, prefix reuse, chunked prefill. */
class BatchSchedulerTest {
    static Llama llama;

    @BeforeAll
    static void load() throws Exception {
        llama = TestAccess.sharedModel();
    }

    @AfterAll
    static void nothing() {
        // the shared model stays open for other test classes
    }

    /** Collects a sequence's events; completes when it ends. */
    static class Collector implements SequenceSink {
        final List<TokenOutput> tokens = new CopyOnWriteArrayList<>();
        final CompletableFuture<SequenceResult> done = new CompletableFuture<>();

        @Override
        public void onToken(TokenOutput token) {
            tokens.add(token);
        }

        @Override
        public void onFinish(SequenceResult result) {
            done.complete(result);
        }

        @Override
        public void onError(RuntimeException error) {
            done.completeExceptionally(error);
        }
    }

    static SequenceSpec greedy(String prompt, int max) {
        return new SequenceSpec(llama.tokenizePrompt(prompt), max, SamplingParams.GREEDY, List.of(), -1);
    }

    @Test
    void fourSequencesDecodedTogetherEqualFourUnbatchedGenerations() throws Exception {
        List<String> prompts = List.of("alpha", "beta gamma", "a much longer prompt than the others", "z");
        try (BatchScheduler s = new BatchScheduler(llama, SchedulerConfig.of(4, 256))) {
            List<SequenceSpec> specs = new ArrayList<>();
            List<SequenceSink> sinks = new ArrayList<>();
            List<Collector> collectors = new ArrayList<>();
            for (String p : prompts) {
                specs.add(greedy(p, 20));
                Collector c = new Collector();
                collectors.add(c);
                sinks.add(c);
            }
            s.submitAll(specs, sinks);
            for (int i = 0; i < prompts.size(); i++) {
                SequenceResult r = collectors.get(i).done.get();
                GenerationResult ref = llama.generate(llama.tokenizePrompt(prompts.get(i)), 20, SamplingParams.GREEDY,
                        List.of(), TokenListener.NONE, () -> false);
                assertArrayEquals(ref.tokens(), r.tokens(), prompts.get(i));
                assertEquals(ref.text(), r.text());
                assertEquals(ref.finishReason(), r.finishReason());
                StringBuilder streamed = new StringBuilder();
                collectors.get(i).tokens.forEach(t -> streamed.append(t.text()));
                assertEquals(ref.text(), streamed.toString());
            }
            assertEquals(4, s.stats().maxBatch(), "all four were admitted in one iteration and decoded together");
        }
    }

    @Test
    void aRepeatedPromptReusesTheSlotsCacheAndGivesTheSameTokens() throws Exception {
        try (BatchScheduler s = new BatchScheduler(llama, SchedulerConfig.of(1, 256))) {
            SequenceSpec spec = greedy("the same prompt twice", 8);
            Collector first = new Collector();
            s.submit(spec, first);
            SequenceResult a = first.done.get();
            assertEquals(0, a.cachedTokens());
            Collector second = new Collector();
            s.submit(spec, second);
            SequenceResult b = second.done.get();
            assertEquals(spec.prompt().length - 1, b.cachedTokens(), "all but the last prompt token come from the cache");
            assertArrayEquals(a.tokens(), b.tokens());
            assertEquals(spec.prompt().length + spec.prompt().length - b.cachedTokens(), s.stats().prefillTokens());
        }
    }

    @Test
    void aLongPromptIsPrefilledInChunksWhileAnotherSequenceKeepsDecoding() throws Exception {
        // 8 prompt tokens per iteration: a 100-token prompt takes 13 iterations, each also decoding A
        SchedulerConfig sc = new SchedulerConfig(2, 256, 4, 8, Duration.ZERO);
        try (BatchScheduler s = new BatchScheduler(llama, sc)) {
            Collector a = new Collector();
            s.submit(new SequenceSpec(llama.tokenizePrompt("A"), 120, SamplingParams.GREEDY, List.of(), -1), a);
            while (a.tokens.isEmpty() && !a.done.isDone()) {
                Thread.onSpinWait();
            }
            int[] longPrompt = new int[100];
            int[] words = llama.tokenizer().encode("one two three four five six seven eight nine ten", false, false);
            for (int i = 0; i < longPrompt.length; i++) {
                longPrompt[i] = words[i % words.length];
            }
            Collector b = new Collector() {
                @Override
                public void onToken(TokenOutput token) {
                    if (tokens.isEmpty()) {
                        marks.add(a.tokens.size());
                    }
                    super.onToken(token);
                }
            };
            int before = a.tokens.size();
            s.submit(new SequenceSpec(longPrompt, 2, SamplingParams.GREEDY, List.of(), -1), b);
            b.done.get();
            SequenceResult ra = a.done.get();
            assertEquals(FinishReason.LENGTH, ra.finishReason(), "A must still be running while B prefills");
            int during = marks.getFirst() - before;
            assertTrue(during >= 100 / 8 - 1, "A produced only " + during + " tokens while B's prompt was prefilled");
        }
    }

    static final List<Integer> marks = new CopyOnWriteArrayList<>();

    @Test
    void queueBeyondCapacityIsRefusedAndCancelledSequencesEndAsCancelled() throws Exception {
        SchedulerConfig sc = new SchedulerConfig(1, 256, 1, 256, Duration.ofMillis(5));
        try (BatchScheduler s = new BatchScheduler(llama, sc)) {
            Collector running = new Collector();
            SequenceHandle h = s.submit(greedy("one", 200), running);
            while (running.tokens.isEmpty()) {
                Thread.onSpinWait();
            }
            Collector waiting = new Collector();
            SequenceHandle w = s.submit(greedy("two", 5), waiting);
            try {
                s.submit(greedy("three", 5), new Collector());
                throw new AssertionError("the third request should not fit the queue");
            } catch (QueueFullException expected) {
                assertTrue(expected.getMessage().contains("1 requests are already waiting"));
            }
            w.cancel();
            h.cancel();
            assertEquals(FinishReason.CANCELLED, running.done.get().finishReason());
            assertEquals(FinishReason.CANCELLED, waiting.done.get().finishReason());
            assertEquals(0, waiting.done.get().tokens().length);
            assertEquals(2, s.stats().cancelled());
            assertEquals(1, s.stats().rejected());
        }
    }
}
