package org.llama3j.train.layers;

/**
 * The residual connection {@code out = x + branch}. Its backward pass is the identity into both
 * inputs, which the model realises by letting the branch's backward accumulate into the same
 * gradient buffer as the skip path; {@link #backward} exists for callers that keep them apart.
 */
public final class Residual {

    private Residual() {
    }

    public static void forward(float[] x, float[] branch, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = x[i] + branch[i];
        }
    }

    /** dX += dOut; dBranch += dOut. */
    public static void backward(float[] dOut, float[] dx, float[] dBranch, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] += dOut[i];
            dBranch[i] += dOut[i];
        }
    }
}
