package org.llama3j.train.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SwiGLU gate of the Llama feed-forward block, {@code out = silu(gate) · up} with
 * {@code silu(a) = a·σ(a)} (Shazeer 2020, "GLU Variants Improve Transformer"; Meta
 * {@code llama/model.py} {@code FeedForward}: {@code w2(F.silu(w1(x)) * w3(x))}). The two
 * projections around it are {@link Linear} layers.
 *
 * <p>σ(a) = 1/(1 + e^−a) in float with {@link FloatExp}, vectorized; the scalar tail uses the
 * scalar form of the same operations, so an element's bits do not depend on where it falls.
 */
public final class SwiGlu {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private SwiGlu() {
    }

    public static void forward(WorkerPool pool, float[] gate, float[] up, float[] out, int n) {
        pool.forRange(n, 4096, (i0, i1) -> {
            int i = i0;
            for (int upper = i0 + F.loopBound(i1 - i0); i < upper; i += F.length()) {
                FloatVector a = FloatVector.fromArray(F, gate, i);
                a.mul(sigmoid(a)).mul(FloatVector.fromArray(F, up, i)).intoArray(out, i);
            }
            for (; i < i1; i++) {
                float a = gate[i];
                out[i] = a * sigmoid(a) * up[i];
            }
        });
    }

    /**
     * dGate = dOut·up·σ(a)·(1 + a·(1 − σ(a))); dUp = dOut·silu(a). Overwrites dGate and dUp.
     */
    public static void backward(WorkerPool pool, float[] dOut, float[] gate, float[] up,
                                float[] dGate, float[] dUp, int n) {
        pool.forRange(n, 4096, (i0, i1) -> {
            int i = i0;
            for (int upper = i0 + F.loopBound(i1 - i0); i < upper; i += F.length()) {
                FloatVector a = FloatVector.fromArray(F, gate, i);
                FloatVector sig = sigmoid(a);
                FloatVector d = FloatVector.fromArray(F, dOut, i);
                d.mul(a.mul(sig)).intoArray(dUp, i);
                FloatVector oneMinus = sig.neg().add(1f);
                d.mul(FloatVector.fromArray(F, up, i)).mul(sig).mul(a.mul(oneMinus).add(1f)).intoArray(dGate, i);
            }
            for (; i < i1; i++) {
                float a = gate[i];
                float sig = sigmoid(a);
                dUp[i] = dOut[i] * (a * sig);
                dGate[i] = dOut[i] * up[i] * sig * (a * (1f - sig) + 1f);
            }
        });
    }

    private static FloatVector sigmoid(FloatVector a) {
        return FloatVector.broadcast(F, 1f).div(FloatExp.exp(a.neg()).add(1f));
    }

    private static float sigmoid(float a) {
        return 1f / (1f + FloatExp.exp(-a));
    }
}
