package org.llama3j.posttrain.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llama3j.chat.Message;
import org.llama3j.posttrain.TinyModels;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.model.PolicyModel;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * The KV-cached generator against the uncached one (the training model's forward over the whole prefix
 * for every token): same seed, same replies and the same per-token log-probabilities, bit for bit.
 */
class CachedGeneratorTest {

    @Test
    void cachedSamplesEqualUncachedSamplesForTheSameSeed() {
        PolicyModel m = TinyModels.chatModel(32, 2, 64, 11);
        m.params().initialize(11, 0.3);   // larger weights than the default: peaked, non-uniform next-token distributions
        ChatEncoder enc = new ChatEncoder(m.tokenizer());
        int[] prompt = enc.encodePrompt(List.of(Message.user("What is 2 plus 3?")));
        try (WorkerPool pool = new WorkerPool(1)) {
            TinyGenerator uncached = new TinyGenerator(new LlamaTrainingModel(m.params(), pool), enc);
            CachedGenerator cached = new CachedGenerator(m.params(), pool, enc);
            for (double temperature : new double[] {0, 0.7, 1.0}) {
                List<ReplySampler.Reply> a = uncached.replies(prompt, 4, 12, temperature, new SplittableRandom(5));
                List<ReplySampler.Reply> b = cached.replies(prompt, 4, 12, temperature, new SplittableRandom(5));
                int tokens = 0;
                double worst = 0;
                for (int r = 0; r < 4; r++) {
                    assertArrayEquals(a.get(r).tokens(), b.get(r).tokens(), "T " + temperature + " row " + r);
                    for (int k = 0; k < a.get(r).logProbs().length; k++) {
                        worst = Math.max(worst, Math.abs(a.get(r).logProbs()[k] - b.get(r).logProbs()[k]));
                        assertTrue(a.get(r).logProbs()[k] <= 0);
                    }
                    tokens += a.get(r).tokens().length;
                }
                System.out.printf("T %.1f: %d tokens, max |log p cached - uncached| %.2e%n", temperature, tokens, worst);
                assertEquals(0.0, worst, "log-probs bit for bit");
                assertTrue(tokens > 4 * 3, "replies long enough to exercise the cache: " + tokens);
            }
            // the same generator again: a new prompt resets the caches
            List<int[]> again = cached.sample(prompt, 2, 6, 1.0, new SplittableRandom(9));
            List<int[]> ref = uncached.sample(prompt, 2, 6, 1.0, new SplittableRandom(9));
            for (int r = 0; r < 2; r++) {
                assertArrayEquals(ref.get(r), again.get(r));
            }
        }
    }
}
