package org.llama3j.eval.harness;

/** Log-softmax of one logit row at one index: max in float, sum of exponentials in double. */
public final class LogSoftmax {
    private LogSoftmax() {
    }

    public static double at(float[] logits, int off, int vocab, int token) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp((double) logits[off + i] - max);
        }
        return logits[off + token] - (double) max - Math.log(sum);
    }
}
