package org.llama3j.kernel;

import java.util.EnumMap;
import java.util.Map;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/** Picks the {@link MatMul} for a weight type and runs it over the worker pool. */
public final class MatMuls {
    private static final Map<DType, MatMul> KERNELS = new EnumMap<>(DType.class);

    static {
        register(new F32MatMul());
        register(new F16MatMul());
        register(new BF16MatMul());
        register(new Q8_0MatMul());
        register(new Q4_0MatMul());
        register(new Q4_KMatMul());
        register(new Q5_KMatMul());
        register(new Q6_KMatMul());
        for (DType t : DType.values()) {
            if (!KERNELS.containsKey(t) && DequantizingMatMul.supports(t)) {
                register(new DequantizingMatMul(t));
            }
        }
    }

    private MatMuls() {
    }

    private static void register(MatMul k) {
        KERNELS.put(k.type(), k);
    }

    /** The kernel for {@code type}. */
    public static MatMul of(DType type) {
        MatMul k = KERNELS.get(type);
        if (k == null) {
            throw new UnsupportedOperationException("no matrix multiplication kernel for weight type " + type);
        }
        return k;
    }

    /**
     * Prepares a weight matrix for the kernels once: Q4_0, Q8_0, Q4_K, Q5_K and Q6_K matrices get their interleaved
     * copy ({@link InterleavedMatrix}) on machines with 512-bit vectors; other types are used in place.
     * Safe to call again (and from several models sharing the tensor).
     */
    public static void prepare(Tensor w) {
        InterleavedMatrix.prepare(w);
    }

    /** Whether weights of this type can be multiplied. */
    public static boolean supports(DType type) {
        return KERNELS.containsKey(type);
    }

    /** {@code out[t * w.rows() + r] = dot(x[t], w[r])} for all tokens and rows, in parallel over rows. */
    public static void multiply(Tensor w, Activations x, float[] out) {
        multiply(w, x, out, w.rows());
    }

    /** As {@link #multiply(Tensor, Activations, float[])} with an explicit output row stride. */
    public static void multiply(Tensor w, Activations x, float[] out, int outStride) {
        if (w.rowLength() != x.length()) {
            throw new IllegalArgumentException(w.name() + ": row length " + w.rowLength() + " != input length " + x.length());
        }
        MatMul k = of(w.type());
        int rows = w.rows();
        // Split on whole tiles (packed panels for batches, row groups for decode) so that the
        // workers' ranges cost the same; grain keeps tiny matrices on one thread.
        // (a panel is a whole number of row groups, so batches split on panels whichever path runs)
        int unit = x.tokens() > 1 ? PackedGemm.PANEL : Int8Dot.ROWS;
        int grain = Math.max(unit, 4096 / Math.max(1, x.tokens()));
        k.prepare(w, x);
        Parallel.forUnits(rows, unit, Math.min(grain, 64), (from, to) -> k.multiply(w, x, out, outStride, from, to));
    }

    /**
     * Several products of the same activations in one parallel region: {@code outs[i][t * ws[i].rows() + r] =
     * dot(x[t], ws[i][r])} (q, k and v; gate and up). The workers meet at the end of every region, so one region
     * instead of three saves two of those meetings per layer, and a worker that finishes its share of one
     * matrix goes on to the next instead of waiting.
     */
    public static void multiplyEach(Activations x, Tensor[] ws, float[][] outs) {
        int unit = x.tokens() > 1 ? PackedGemm.PANEL : Int8Dot.ROWS;
        MatMul[] ks = new MatMul[ws.length];
        int[] start = new int[ws.length + 1];
        for (int i = 0; i < ws.length; i++) {
            Tensor w = ws[i];
            if (w.rowLength() != x.length()) {
                throw new IllegalArgumentException(w.name() + ": row length " + w.rowLength() + " != input length " + x.length());
            }
            ks[i] = of(w.type());
            ks[i].prepare(w, x);
            start[i + 1] = start[i] + (w.rows() + unit - 1) / unit * unit;
        }
        int grain = Math.max(unit, 4096 / Math.max(1, x.tokens()));
        Parallel.forUnits(start[ws.length], unit, Math.min(grain, 64), (from, to) -> {
            for (int i = 0; i < ws.length; i++) {
                int a = Math.max(from, start[i]);
                int b = Math.min(to, start[i + 1]);
                int rows = ws[i].rows();
                if (a < b && a - start[i] < rows) {
                    ks[i].multiply(ws[i], x, outs[i], rows, a - start[i], Math.min(rows, b - start[i]));
                }
            }
        });
    }
}
