import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.llama3j.chat.Message;
import org.llama3j.posttrain.data.ChatEncoder;
import org.llama3j.posttrain.generate.CachedGenerator;
import org.llama3j.posttrain.generate.ReplySampler;
import org.llama3j.posttrain.generate.TinyGenerator;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.model.ModelShape;
import org.llama3j.train.tokenizer.BpeTrainer;

/**
 * bench/posttrain/generator-speed.sh: rejection-sampling-style generation (N replies per prompt) with the
 * uncached TinyGenerator (whole prefix per token) and the KV-cached CachedGenerator, alternating rounds on
 * the same model, prompts and seeds; prints one JSON line per round with each one's tokens/s.
 * Both run on a training WorkerPool of THREADS threads.
 * Usage: GeneratorSpeed DIM LAYERS CONTEXT SAMPLES MAX_NEW PROMPTS ROUNDS THREADS
 */
public final class GeneratorSpeed {
    public static void main(String[] a) {
        int dim = Integer.parseInt(a[0]), layers = Integer.parseInt(a[1]), context = Integer.parseInt(a[2]);
        int samples = Integer.parseInt(a[3]), maxNew = Integer.parseInt(a[4]), prompts = Integer.parseInt(a[5]);
        int rounds = Integer.parseInt(a[6]), threads = Integer.parseInt(a[7]);
        BpeTrainer bpe = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        bpe.addText("What is 23 + 45? 68. Reverse the word qwe: ewq. Convert 7 km to m. 7000 m. Answer in the form ANSWER: x.");
        var ranks = bpe.train(384).ranks();
        Tokenizer tok = Llama3Tokenizer.fromRanks(ranks);
        ModelShape shape = new ModelShape(dim, layers, 4, 2, 3 * dim, ranks.size() + 256, 1e-5f, 10000, Optional.empty(),
                false, context);
        LlamaParameters p = new LlamaParameters(shape);
        p.initialize(1, 0.3);
        ChatEncoder enc = new ChatEncoder(tok);
        List<int[]> ps = new ArrayList<>();
        for (int i = 0; i < prompts; i++) {
            ps.add(enc.encodePrompt(List.of(Message.user("What is " + (10 + i) + " + " + (30 + 2 * i) + "?"))));
        }
        try (WorkerPool pool = new WorkerPool(threads)) {
            ReplySampler uncached = new TinyGenerator(new LlamaTrainingModel(p, pool), enc);
            ReplySampler cached = new CachedGenerator(p, pool, enc);
            for (int r = 0; r < rounds; r++) {
                double[] u = run(uncached, ps, samples, maxNew);
                double[] c = run(cached, ps, samples, maxNew);
                System.out.printf("{\"threads\": %d, \"round\": %d, \"tokens\": %d, \"uncachedTokPerS\": %.1f, \"cachedTokPerS\": %.1f,"
                        + " \"sameTokens\": %b}%n", threads, r, (long) u[1], u[1] / u[0], c[1] / c[0], u[2] == c[2]);
            }
        }
    }

    /** Seconds, generated tokens, and a hash of the replies. */
    static double[] run(ReplySampler g, List<int[]> prompts, int samples, int maxNew) {
        long t0 = System.nanoTime();
        long tokens = 0;
        long hash = 0;
        for (int i = 0; i < prompts.size(); i++) {
            // no stop: every reply runs to maxNew unless it draws <|eot_id|>
            for (int[] reply : g.sample(prompts.get(i), samples, maxNew, 1.0, new SplittableRandom(i))) {
                tokens += reply.length;
                hash = hash * 31 + Arrays.hashCode(reply);
            }
        }
        return new double[] {(System.nanoTime() - t0) / 1e9, tokens, hash};
    }
}
