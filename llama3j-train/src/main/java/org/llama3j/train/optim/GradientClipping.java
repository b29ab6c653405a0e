package org.llama3j.train.optim;

/**
 * Global-norm gradient clipping (Pascanu et al. 2013), as PyTorch's
 * {@code torch.nn.utils.clip_grad_norm_}: scale all gradients by
 * {@code min(1, maxNorm / (‖g‖₂ + 1e-6))}. Llama 3 clips at 1.0 (torchtitan {@code max_norm}).
 */
public final class GradientClipping {

    /** The 1e-6 PyTorch adds to the norm in {@code clip_grad_norm_}. */
    private static final double NORM_EPS = 1e-6;

    private GradientClipping() {
    }

    /** The L2 norm of all gradients, summed in double in index order. */
    public static double globalNorm(float[] grads) {
        double sum = 0;
        for (float g : grads) {
            sum += (double) g * g;
        }
        return Math.sqrt(sum);
    }

    /** Clips in place and returns the norm before clipping. */
    public static double clip(float[] grads, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip maxNorm must be > 0, got " + maxNorm);
        }
        double norm = globalNorm(grads);
        clip(grads, maxNorm, norm);
        return norm;
    }

    /**
     * Clips in place given the norm {@link #globalNorm} already returned for these gradients (a
     * caller that checks the norm first saves the second pass: it is a serial double sum, run
     * while the data-parallel workers wait).
     */
    public static void clip(float[] grads, double maxNorm, double norm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip maxNorm must be > 0, got " + maxNorm);
        }
        double coef = maxNorm / (norm + NORM_EPS);
        if (coef < 1.0) {
            float c = (float) coef;
            for (int i = 0; i < grads.length; i++) {
                grads[i] *= c;
            }
        }
    }
}
