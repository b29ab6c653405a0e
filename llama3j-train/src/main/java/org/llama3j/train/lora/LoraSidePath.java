package org.llama3j.train.lora;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.llama3j.kernel.VectorMath;
import org.llama3j.model.lora.Projection;
import org.llama3j.train.layers.Linear;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.ProjectionHook;

/**
 * LoRA's side path as a {@link ProjectionHook}: {@code y += s·B·(A·drop(x))}, s = α/r, as PEFT's
 * {@code lora.Linear.forward} computes it. Per adapted projection it keeps {@code u = s·A·drop(x)}
 * ({@code rows × r}) and, with dropout, the keep mask, for the backward pass:
 * <pre>
 * dB += dyᵀ·u          du = s·(dy·B)          dA += duᵀ·drop(x)          dx += drop'(du·A)
 * </pre>
 * Inverted dropout (keep with probability 1−p, scale 1/(1−p)) as {@code torch.nn.Dropout}; only
 * while {@link #training} is set, so evaluation is deterministic.
 */
final class LoraSidePath implements ProjectionHook {

    private final LoraParameters params;
    private final WorkerPool pool;
    private final float scale;
    private final float dropout;
    private SplittableRandom random;
    private final float[][] u;       // per site [rows][r]
    private final float[][] keep;    // per site [rows][in] (dropout only)
    private final float[][] dropped; // per site [rows][in] (dropout only)
    private float[] scratch = new float[0];
    private float[] du = new float[0];
    boolean training = true;

    LoraSidePath(LoraParameters params, WorkerPool pool, long dropoutSeed) {
        this.params = params;
        this.pool = pool;
        this.scale = params.config().scale();
        this.dropout = params.config().dropout();
        this.random = new SplittableRandom(dropoutSeed);
        int n = params.orderedSites().size();
        this.u = new float[n][];
        this.keep = new float[n][];
        this.dropped = new float[n][];
    }

    /**
     * Restarts the dropout masks' random stream: a trainer that reseeds from the step number before
     * each step draws the same masks for that step whether or not the run was interrupted and resumed.
     */
    void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public void forward(int layer, Projection p, float[] x, float[] y, int rows) {
        LoraParameters.Site s = params.site(layer, p);
        if (s == null) {
            return;
        }
        int i = s.index();
        int r = params.config().rank();
        float[] w = params.values();
        float[] input = x;
        if (training && dropout > 0f) {
            input = drop(i, x, rows * s.in());
        } else {
            keep[i] = null;
        }
        u[i] = sized(u[i], rows * r);
        Linear.forward(pool, input, 0, w, s.aOffset(), u[i], 0, rows, s.in(), r);
        for (int k = 0; k < rows * r; k++) {
            u[i][k] *= scale;
        }
        scratch = sized(scratch, rows * s.out());
        Linear.forward(pool, u[i], 0, w, s.bOffset(), scratch, 0, rows, r, s.out());
        VectorMath.axpy(1f, scratch, 0, y, 0, rows * s.out());
    }

    @Override
    public void backward(int layer, Projection p, float[] x, float[] dy, float[] dx, int rows) {
        LoraParameters.Site s = params.site(layer, p);
        if (s == null) {
            return;
        }
        int i = s.index();
        int r = params.config().rank();
        float[] w = params.values();
        float[] g = params.grads();
        Linear.backwardWeight(pool, dy, 0, u[i], 0, g, s.bOffset(), rows, r, s.out());
        du = sized(du, rows * r);
        Arrays.fill(du, 0, rows * r, 0f);
        Linear.backwardInput(pool, dy, 0, w, s.bOffset(), du, 0, rows, r, s.out());
        for (int k = 0; k < rows * r; k++) {
            du[k] *= scale;
        }
        float[] input = keep[i] != null ? dropped[i] : x;
        Linear.backwardWeight(pool, du, 0, input, 0, g, s.aOffset(), rows, s.in(), r);
        if (keep[i] == null) {
            Linear.backwardInput(pool, du, 0, w, s.aOffset(), dx, 0, rows, s.in(), r);
            return;
        }
        int n = rows * s.in();
        scratch = sized(scratch, n);
        Arrays.fill(scratch, 0, n, 0f);
        Linear.backwardInput(pool, du, 0, w, s.aOffset(), scratch, 0, rows, s.in(), r);
        float[] mask = keep[i];
        for (int k = 0; k < n; k++) {
            dx[k] += scratch[k] * mask[k];
        }
    }

    private float[] drop(int i, float[] x, int n) {
        keep[i] = sized(keep[i], n);
        dropped[i] = sized(dropped[i], n);
        float kept = 1f / (1f - dropout);
        for (int k = 0; k < n; k++) {
            keep[i][k] = random.nextDouble() < dropout ? 0f : kept;
            dropped[i][k] = x[k] * keep[i][k];
        }
        return dropped[i];
    }

    private static float[] sized(float[] a, int n) {
        return a != null && a.length >= n ? a : new float[n];
    }
}
