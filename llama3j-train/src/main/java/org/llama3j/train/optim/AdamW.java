package org.llama3j.train.optim;

import java.util.List;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.TrainableParameters;
import org.llama3j.train.model.ParameterView;

/**
 * AdamW over the flat parameter array, written as PyTorch's {@code torch.optim.AdamW}
 * ({@code _single_tensor_adamw}) computes it, so the two agree step for step:
 * <pre>
 * p ← p·(1 − lr·wd)                 (only tensors the {@link WeightDecayScope} selects)
 * m ← β1·m + (1−β1)·g ;  v ← β2·v + (1−β2)·g²
 * p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
 * </pre>
 * Moments are FP32 arrays of the parameter layout; the update is elementwise, so parallel blocks
 * give the same bits as one thread.
 */
public final class AdamW {

    private final TrainableParameters params;
    private final AdamWConfig config;
    private final WorkerPool pool;
    private final float[] m;
    private final float[] v;
    private final List<ParameterView> views;
    private int step;

    public AdamW(TrainableParameters params, AdamWConfig config, WorkerPool pool) {
        this.params = params;
        this.config = config;
        this.pool = pool;
        this.m = new float[params.size()];
        this.v = new float[params.size()];
        this.views = params.views();
    }

    /** First moment, parameter layout (live array: checkpoints read and restore it). */
    public float[] firstMoment() {
        return m;
    }

    /** Second moment, parameter layout (live array). */
    public float[] secondMoment() {
        return v;
    }

    /** Restores the state of a checkpoint: moments and the step count that drives bias correction. */
    public void restore(float[] firstMoment, float[] secondMoment, int steps) {
        if (firstMoment.length != m.length || secondMoment.length != v.length || steps < 0) {
            throw new IllegalArgumentException("AdamW state has " + firstMoment.length + "/" + secondMoment.length
                    + " moments and step " + steps + "; the model has " + m.length + " parameters");
        }
        System.arraycopy(firstMoment, 0, m, 0, m.length);
        System.arraycopy(secondMoment, 0, v, 0, v.length);
        this.step = steps;
    }

    /** Steps taken so far. */
    public int stepCount() {
        return step;
    }

    /** One update with learning rate {@code lr} from the current gradients. */
    public void step(float lr) {
        step++;
        float b1 = config.beta1();
        float b2 = config.beta2();
        float biasCorrection1 = (float) (1 - Math.pow(b1, step));
        float biasCorrection2Sqrt = (float) Math.sqrt(1 - Math.pow(b2, step));
        float stepSize = lr / biasCorrection1;
        float eps = config.eps();
        float[] p = params.values();
        float[] g = params.grads();
        for (ParameterView view : views) {
            float decay = config.decayScope().decays(view) ? 1f - lr * config.weightDecay() : 1f;
            int off = view.offset();
            pool.forRange(view.size(), 4096, (i0, i1) -> {
                for (int i = off + i0; i < off + i1; i++) {
                    float gi = g[i];
                    m[i] = b1 * m[i] + (1 - b1) * gi;
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                    float denom = (float) Math.sqrt(v[i]) / biasCorrection2Sqrt + eps;
                    p[i] = p[i] * decay - stepSize * m[i] / denom;
                }
            });
        }
    }
}
