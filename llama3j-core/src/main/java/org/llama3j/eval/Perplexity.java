package org.llama3j.eval;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.llama3j.model.InferenceState;
import org.llama3j.model.LlamaModel;

/**
 * Perplexity by llama.cpp's method ({@code tools/perplexity/perplexity.cpp}, {@code perplexity()}),
 * so numbers are comparable with {@code llama-perplexity}: the token stream (BOS first) is cut into
 * {@code floor(n / ctx)} chunks of {@code ctx} tokens; each chunk is evaluated from an empty cache
 * with its first token replaced by BOS; only the second half of each chunk is scored (each scored
 * token then has at least {@code ctx/2} tokens of context). Log-softmax sums in double.
 */
public final class Perplexity {
    private Perplexity() {
    }

    /** The result: perplexity, its per-chunk running values, and how many tokens were scored. */
    public record Result(double perplexity, double[] runningPerChunk, int scoredTokens, int chunks) {
    }

    public static Result compute(LlamaModel model, int[] tokens, int ctx, int bos, IntConsumer chunkDone) {
        if (ctx < 4 || ctx % 2 != 0) {
            throw new IllegalArgumentException("context must be an even number >= 4, got " + ctx);
        }
        if (tokens.length < 2 * ctx) {
            throw new IllegalArgumentException("perplexity needs at least 2*ctx = " + 2 * ctx
                    + " tokens, the text has " + tokens.length);
        }
        int vocab = model.config().vocabSize();
        int chunks = tokens.length / ctx;
        int first = ctx / 2;
        double nll = 0;
        int count = 0;
        double[] running = new double[chunks];
        InferenceState state = model.newState(ctx);
        for (int i = 0; i < chunks; i++) {
            int start = i * ctx;
            int[] batch = Arrays.copyOfRange(tokens, start, start + ctx);
            batch[0] = bos;
            state.truncate(0);
            float[] logits = evaluate(model, state, batch, first);
            for (int j = first; j < ctx - 1; j++) {
                nll -= logSoftmax(logits, (j - first) * vocab, vocab, tokens[start + j + 1]);
                count++;
            }
            running[i] = Math.exp(nll / count);
            if (chunkDone != null) {
                chunkDone.accept(i);
            }
        }
        return new Result(Math.exp(nll / count), running, count, chunks);
    }

    /** Runs the chunk (in pieces) and returns logits of positions {@code first .. ctx-1}. */
    private static float[] evaluate(LlamaModel model, InferenceState state, int[] batch, int first) {
        int vocab = model.config().vocabSize();
        float[] all = new float[(batch.length - first) * vocab];
        int piece = 256;
        for (int from = 0; from < batch.length; from += piece) {
            int n = Math.min(piece, batch.length - from);
            int[] tokens = Arrays.copyOfRange(batch, from, from + n);
            int logitsFrom = Math.max(0, first - from);
            if (logitsFrom >= n) {
                model.forward(state, tokens, n, n);
                continue;
            }
            float[] logits = model.forward(state, tokens, n, logitsFrom);
            System.arraycopy(logits, 0, all, (from + logitsFrom - first) * vocab, logits.length);
        }
        return all;
    }

    /** {@code log softmax(logits)[token]}, max in float and the sum of exponentials in double. */
    static double logSoftmax(float[] logits, int off, int vocab, int token) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[off + i] - max);
        }
        return logits[off + token] - max - Math.log(sum);
    }
}
