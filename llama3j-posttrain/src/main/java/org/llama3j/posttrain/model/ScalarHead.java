package org.llama3j.posttrain.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A linear scalar head on the backbone's final hidden states, {@code s = v·h + b} (the reward
 * model's head, InstructGPT §3.5 / Llama 2 §3.2.2; PPO's value head). Holds its own gradients and
 * Adam moments (PyTorch AdamW update, no weight decay on the head).
 */
public final class ScalarHead {

    private final int dim;
    /** {@code [v_0 … v_{dim−1}, b]}. */
    private final float[] values;
    private final float[] grads;
    private final float[] m;
    private final float[] v;
    private int step;

    public ScalarHead(int dim) {
        this.dim = dim;
        this.values = new float[dim + 1];
        this.grads = new float[dim + 1];
        this.m = new float[dim + 1];
        this.v = new float[dim + 1];
    }

    /** Weights drawn N(0, 1/(dim+1)) from a seeded generator, bias 0 (the HF default init of a Linear(dim, 1)). */
    public void initialize(long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        double std = 1.0 / Math.sqrt(dim + 1);
        for (int i = 0; i < dim; i++) {
            values[i] = (float) (nextGaussian(rnd) * std);
        }
        values[dim] = 0f;
    }

    private static double nextGaussian(java.util.SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    public int dim() {
        return dim;
    }

    public float[] values() {
        return values;
    }

    public float[] grads() {
        return grads;
    }

    public void zeroGrads() {
        java.util.Arrays.fill(grads, 0f);
    }

    /** {@code v·h[row] + b}, accumulated in double. */
    public float score(float[] hidden, int row) {
        double s = values[dim];
        int off = row * dim;
        for (int i = 0; i < dim; i++) {
            s += (double) values[i] * hidden[off + i];
        }
        return (float) s;
    }

    /** Adds {@code dScore·h[row]} to the head's gradient and {@code dScore·v} to {@code dHidden[row]}. */
    public void backward(float[] hidden, int row, float dScore, float[] dHidden) {
        int off = row * dim;
        for (int i = 0; i < dim; i++) {
            grads[i] += dScore * hidden[off + i];
            dHidden[off + i] += dScore * values[i];
        }
        grads[dim] += dScore;
    }

    /** One Adam update (the formula of {@link org.llama3j.train.optim.AdamW}, no decay). */
    public void adamStep(float lr, float beta1, float beta2, float eps) {
        step++;
        float bc1 = (float) (1 - Math.pow(beta1, step));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float stepSize = lr / bc1;
        for (int i = 0; i < values.length; i++) {
            float g = grads[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            values[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / bc2Sqrt + eps);
        }
    }

    /** Copies weights, moments and step count from {@code other} (same dimension). */
    public void copyFrom(ScalarHead other) {
        if (other.dim != dim) {
            throw new IllegalArgumentException("scalar head dimension " + other.dim + " != " + dim);
        }
        System.arraycopy(other.values, 0, values, 0, values.length);
        System.arraycopy(other.m, 0, m, 0, m.length);
        System.arraycopy(other.v, 0, v, 0, v.length);
        step = other.step;
    }

    /** Reads a head written by {@link #write} from a file. */
    public static ScalarHead load(java.nio.file.Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file)))) {
            return read(in, file.toString());
        }
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(dim);
        out.writeInt(step);
        for (float[] a : new float[][] {values, m, v}) {
            for (float x : a) {
                out.writeFloat(x);
            }
        }
        out.flush();
    }

    public static ScalarHead read(DataInputStream in, String source) throws IOException {
        int dim = in.readInt();
        if (dim <= 0 || dim > 1 << 20) {
            throw new IOException(source + ": bad scalar head dimension " + dim);
        }
        ScalarHead h = new ScalarHead(dim);
        h.step = in.readInt();
        for (float[] a : new float[][] {h.values, h.m, h.v}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = in.readFloat();
            }
        }
        return h;
    }
}
