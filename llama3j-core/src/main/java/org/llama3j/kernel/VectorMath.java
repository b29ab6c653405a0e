package org.llama3j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised float-array primitives shared by the kernels, the model's element-wise steps and the
 * training layers. Every lane reduction has a fixed order, so a given machine (vector width) always
 * produces the same bits, compiled or interpreted: {@link #sum} (a butterfly, for inference) and
 * {@link #sumInLaneOrder} (lane 0, 1, 2, …, the order the training layers' results are pinned to).
 */
public final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final int L = S.length();
    // lane i <- lane i ^ d: a butterfly whose result is the same whether C2 has compiled the
    // code or not (reduceLanes sums in a different order interpreted and compiled, and BF16/F16
    // rounding downstream can amplify that last-ulp difference into visible logit noise)
    private static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(S, i -> (i ^ 8) % L);
    private static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(S, i -> (i ^ 4) % L);
    private static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(S, i -> (i ^ 2) % L);
    private static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(S, i -> (i ^ 1) % L);

    // lanes i with (i & d) != 0, for folding two vectors' butterfly steps into one (sums4)
    private static final VectorMask<Float> M8 = laneBit(8);
    private static final VectorMask<Float> M4 = laneBit(4);
    private static final VectorMask<Float> M2 = laneBit(2);

    private VectorMath() {
    }

    private static VectorMask<Float> laneBit(int d) {
        boolean[] bits = new boolean[L];
        for (int i = 0; i < L; i++) {
            bits[i] = (i & d) != 0;
        }
        return VectorMask.fromArray(S, bits, 0);
    }

    /** Float lanes of this class's vectors ({@link FloatVector#SPECIES_PREFERRED}). */
    static int lanes() {
        return L;
    }

    /** Sum of the lanes in a fixed order (see the shuffles above); 8 or 16 lanes, else sequential. */
    public static float sum(FloatVector v) {
        if (L == 16) {
            v = v.add(v.rearrange(X8));
        }
        if (L == 16 || L == 8) {
            v = v.add(v.rearrange(X4));
            v = v.add(v.rearrange(X2));
            v = v.add(v.rearrange(X1));
            return v.lane(0);
        }
        float s = 0f;
        for (float f : v.toArray()) {
            s += f;
        }
        return s;
    }

    /**
     * {@link #sum} of the four consecutive vectors stored at {@code acc[off..]}, into {@code out[o0]}, {@code out[o1]}, {@code out[o2]},
     * {@code out[o3]}: each result is bit-identical to {@code sum} of that vector, at about half the
     * shuffles and adds. Every butterfly step of {@code sum} makes lanes {@code i} and {@code i ^ d}
     * equal, so half of each vector's lanes are spare after the step; {@link #fold} packs the live
     * halves of two vectors into one and does their next step with one shuffle and one add. The
     * small-batch kernels reduce one accumulator per (row, token), so this is a sizeable part of
     * their time (about 15% of an 8-token decode step with four separate {@code sum}s).
     */
    public static void sums4(float[] acc, int off, float[] out, int o0, int o1, int o2, int o3) {
        // loaded here, not passed in: a method taking vector arguments that C2 does not inline (the
        // kernels calling this are at its inlining budget) gets them boxed, one allocation per vector
        // per call, which was most of the server's garbage and a large share of a batched step
        FloatVector v0 = FloatVector.fromArray(S, acc, off), v1 = FloatVector.fromArray(S, acc, off + L);
        FloatVector v2 = FloatVector.fromArray(S, acc, off + 2 * L), v3 = FloatVector.fromArray(S, acc, off + 3 * L);
        if (L == 16) {
            // after the ^8 step: v0|v1 and v2|v3 share vectors (lanes 0-7 | 8-15); after ^4 all four
            // share one (v0 in lanes 0-3, v2 4-7, v1 8-11, v3 12-15); ^2 and ^1 finish every group
            FloatVector d = fold(fold(v0, v1, M8, X8), fold(v2, v3, M8, X8), M4, X4);
            d = d.add(d.rearrange(X2));
            d = d.add(d.rearrange(X1));
            out[o0] = d.lane(0);
            out[o1] = d.lane(8);
            out[o2] = d.lane(4);
            out[o3] = d.lane(12);
        } else if (L == 8) {
            FloatVector d = fold(fold(v0, v1, M4, X4), fold(v2, v3, M4, X4), M2, X2);
            d = d.add(d.rearrange(X1));
            out[o0] = d.lane(0);
            out[o1] = d.lane(4);
            out[o2] = d.lane(2);
            out[o3] = d.lane(6);
        } else {
            out[o0] = sum(v0);
            out[o1] = sum(v1);
            out[o2] = sum(v2);
            out[o3] = sum(v3);
        }
    }

    /**
     * One butterfly step ({@code v + v.rearrange(x)}, partner lanes {@code i ^ d}) of two vectors at
     * once: lanes without bit {@code d} get {@code a}'s step, lanes with it {@code b}'s; both steps'
     * results are duplicated across partners, so nothing is lost.
     */
    private static FloatVector fold(FloatVector a, FloatVector b, VectorMask<Float> bit, VectorShuffle<Float> x) {
        return a.blend(b, bit).add(b.blend(a, bit).rearrange(x));
    }

    /** Dot product of {@code a[aOff..aOff+n)} and {@code b[bOff..bOff+n)}, lanes reduced by {@link #sum}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int upper = S.loopBound(n);
        return addTail(sum(fmaLanes(a, aOff, b, bOff, upper)), a, aOff, b, bOff, upper, n);
    }

    /** As {@link #dot}, lanes reduced by {@link #sumInLaneOrder} (the training layers' order). */
    public static float dotInLaneOrder(float[] a, int aOff, float[] b, int bOff, int n) {
        int upper = S.loopBound(n);
        return addTail(sumInLaneOrder(fmaLanes(a, aOff, b, bOff, upper)), a, aOff, b, bOff, upper, n);
    }

    /** Lane-wise {@code Σ a·b} over the whole vectors below {@code upper}, one FMA chain per lane. */
    private static FloatVector fmaLanes(float[] a, int aOff, float[] b, int bOff, int upper) {
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < upper; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        return acc;
    }

    /** {@code sum} plus the products over {@code [from, n)}, added one by one in index order. */
    private static float addTail(float sum, float[] a, int aOff, float[] b, int bOff, int from, int n) {
        for (int i = from; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /**
     * The lanes of {@code v} added in index order, lane 0 first: deterministic like {@link #sum},
     * with a different rounding; the training layers' golden values were made with this order.
     */
    public static float sumInLaneOrder(FloatVector v) {
        float sum = 0f;
        for (int lane = 0; lane < L; lane++) {
            sum += v.lane(lane);
        }
        return sum;
    }

    /** {@code y[yOff..] += s * x[xOff..]} over {@code n} elements. */
    public static void axpy(float s, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).fma(sv, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += s * x[xOff + i];
        }
    }
}
