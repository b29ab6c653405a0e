package org.llama3j.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector shapes of the 8-bit and 4-bit block kernels: int8 weights are widened straight to float
 * lanes ({@code L} bytes → {@code L} floats) and multiplied with the Q8_0 activations dequantized
 * ({@code q · d}, exact in float). The Vector API has no int8 dot product (ggml's
 * {@code vpdpbusd}/{@code madd}), so the products are float FMAs; with the activation scale
 * applied up front, a block sum rounds like any float sum (about 1e-7 relative), but each block
 * needs only its weight scale afterwards, not {@code d_w · d_x} per token.
 */
final class Int8Dot {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Bytes that widen to one float vector. */
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(L * 8));
    /** Int lanes of the same count, for nibble unpacking. */
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(F.vectorShape());
    /** Vector kernels need at least 8 float lanes (AVX2); {@code -Dllama3j.scalarKernels=true} forces the scalar path. */
    static final boolean AVAILABLE = L >= 8 && !Boolean.getBoolean("llama3j.scalarKernels");
    /** Rows a matrix–vector kernel computes per pass, sharing the activation loads. */
    static final int ROWS = 4;
    /**
     * Tokens a small-batch tile multiplies into each widened weight slice: 2 rows × 4 tokens keep
     * 8 block sums and 8 accumulators in registers (of AVX-512's 32) with the weights and an
     * activation slice, and the widening is paid once per 4 tokens instead of once per token.
     */
    static final int TILE_TOKENS = 4;

    private Int8Dot() {
    }
}
