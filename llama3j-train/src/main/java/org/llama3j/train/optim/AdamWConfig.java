package org.llama3j.train.optim;

/**
 * AdamW hyper-parameters (Loshchilov &amp; Hutter 2019). Defaults: β1 0.9, β2 0.95, weight decay
 * 0.1 from the Llama 3 paper §3.4.1 (as Llama 2 §2.2); ε 1e-8 is PyTorch's AdamW default and
 * torchtitan's.
 */
public record AdamWConfig(float beta1, float beta2, float eps, float weightDecay, WeightDecayScope decayScope) {

    public static final AdamWConfig LLAMA3 = new AdamWConfig(0.9f, 0.95f, 1e-8f, 0.1f, WeightDecayScope.MATRICES);

    public AdamWConfig {
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("AdamW betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0f) || !(weightDecay >= 0f)) {
            throw new IllegalArgumentException("AdamW needs eps > 0 and weightDecay >= 0, got eps=" + eps
                    + " weightDecay=" + weightDecay);
        }
        if (decayScope == null) {
            throw new IllegalArgumentException("AdamW decayScope must not be null");
        }
    }
}
