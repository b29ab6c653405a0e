package org.llama3j.kernel;

import org.llama3j.quant.BlockCodec;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Any other type with a block codec (Q2_K, Q3_K and the rarer 32-blocks): each weight row is
 * dequantized once per batch into a scratch row, then multiplied with every F32 input. Slower than
 * a native integer kernel and not bit-identical to llama.cpp (which quantizes activations to
 * Q8_K or Q8_0/Q8_1 for these), but exact to F32 rounding.
 */
final class DequantizingMatMul implements MatMul {
    private final DType type;
    private final BlockCodec codec;

    DequantizingMatMul(DType type) {
        this.type = type;
        this.codec = BlockCodecs.of(type);
    }

    static boolean supports(DType type) {
        return type.isQuantized() && BlockCodecs.supports(type);
    }

    @Override
    public DType type() {
        return type;
    }

    @Override
    public void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        if (x.tokens() >= PackedGemm.MIN_TOKENS) {
            PackedGemm.multiply(w, x.floats(), x.tokens(), out, outStride, rowFrom, rowTo);
            return;
        }
        int n = w.rowLength();
        long rowBytes = w.rowBytes();
        float[] in = x.floats();
        int tokens = x.tokens();
        float[] row = new float[n];
        for (int r = rowFrom; r < rowTo; r++) {
            codec.dequantize(w.data(), r * rowBytes, row, 0, n);
            for (int t = 0; t < tokens; t++) {
                out[t * outStride + r] = VectorMath.dot(row, 0, in, t * n, n);
            }
        }
    }
}
