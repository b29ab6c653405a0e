package org.llama3j.kernel;

import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.Tensor;

/** Reads rows of a tensor of any supported type as floats. */
public final class Dequantize {
    private Dequantize() {
    }

    /** Row {@code row} of {@code t} into {@code dst[dstOff .. dstOff + t.rowLength())}. */
    public static void row(Tensor t, int row, float[] dst, int dstOff) {
        if (row < 0 || row >= t.rows()) {
            throw new IndexOutOfBoundsException(t.name() + ": row " + row + " of " + t.rows());
        }
        BlockCodecs.of(t.type()).dequantize(t.data(), row * t.rowBytes(), dst, dstOff, t.rowLength());
    }

    /** The whole tensor as floats (for small tensors: norms, rope factors). */
    public static float[] all(Tensor t) {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        for (int r = 0, rows = t.rows(); r < rows; r++) {
            row(t, r, out, r * t.rowLength());
        }
        return out;
    }
}
