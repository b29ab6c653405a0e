package org.llama3j.train.layers;

/**
 * The SwiGLU gate of the Llama feed-forward block, {@code out = silu(gate) · up} with
 * {@code silu(a) = a·σ(a)} (Shazeer 2020, "GLU Variants Improve Transformer"; Meta
 * {@code llama/model.py} {@code FeedForward}: {@code w2(F.silu(w1(x)) * w3(x))}). The two
 * projections around it are {@link Linear} layers.
 */
public final class SwiGlu {

    private SwiGlu() {
    }

    public static void forward(WorkerPool pool, float[] gate, float[] up, float[] out, int n) {
        pool.forRange(n, 4096, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float a = gate[i];
                float sig = sigmoid(a);
                out[i] = a * sig * up[i];
            }
        });
    }

    /**
     * dGate = dOut·up·σ(a)·(1 + a·(1 − σ(a))); dUp = dOut·silu(a). Overwrites dGate and dUp.
     */
    public static void backward(WorkerPool pool, float[] dOut, float[] gate, float[] up,
                                float[] dGate, float[] dUp, int n) {
        pool.forRange(n, 4096, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float a = gate[i];
                float sig = sigmoid(a);
                float silu = a * sig;
                dUp[i] = dOut[i] * silu;
                dGate[i] = dOut[i] * up[i] * sig * (1f + a * (1f - sig));
            }
        });
    }

    private static float sigmoid(float a) {
        return (float) (1.0 / (1.0 + Math.exp(-a)));
    }
}
