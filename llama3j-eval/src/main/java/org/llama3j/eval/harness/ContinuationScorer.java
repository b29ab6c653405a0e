package org.llama3j.eval.harness;

import java.util.Arrays;

/**
 * Log-likelihood of a continuation given a context, tokenized as EleutherAI lm-evaluation-harness
 * does ({@code lm_eval/api/model.py}, {@code TemplateLM._encode_pair}): trailing whitespace of the
 * context moves to the front of the continuation, the pair is encoded as one string, and the
 * continuation's tokens are those after the context's own encoding. BOS goes first (Llama 3's
 * convention); a sequence longer than the context length keeps its last tokens, as lm-eval
 * truncates from the left.
 */
public final class ContinuationScorer {

    /** The summed log-likelihood, the continuation's token count, and whether it is the greedy choice. */
    public record Scored(double logLikelihood, int tokens) {
    }

    private ContinuationScorer() {
    }

    public static Scored score(LanguageModel model, String context, String continuation) {
        int spaces = context.length() - context.stripTrailing().length();
        if (spaces > 0) {
            continuation = context.substring(context.length() - spaces) + continuation;
            context = context.substring(0, context.length() - spaces);
        }
        int[] whole = model.encode(context + continuation);
        int[] ctx = model.encode(context);
        int contLen = whole.length - ctx.length;
        if (contLen < 1) {
            throw new IllegalArgumentException("continuation \"" + continuation + "\" adds no tokens to its context");
        }
        int[] seq = withBos(model.bos(), whole);
        int max = model.contextLength();
        if (seq.length > max) {
            seq = Arrays.copyOfRange(seq, seq.length - max, seq.length);
        }
        int from = Math.max(1, seq.length - contLen);
        double[] lp = model.logProbs(seq, from);
        double sum = 0;
        for (double v : lp) {
            sum += v;
        }
        return new Scored(sum, lp.length);
    }

    static int[] withBos(int bos, int[] tokens) {
        if (bos < 0) {
            return tokens;
        }
        int[] out = new int[tokens.length + 1];
        out[0] = bos;
        System.arraycopy(tokens, 0, out, 1, tokens.length);
        return out;
    }
}
