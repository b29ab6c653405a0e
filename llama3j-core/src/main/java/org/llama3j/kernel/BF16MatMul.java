package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/** BF16 weights times activations rounded to BF16 (as llama.cpp does), accumulated in F32. */
final class BF16MatMul implements MatMul {
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public DType type() {
        return DType.BF16;
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(L * 16));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(F.vectorShape());
    /** The vector path needs {@link VectorMath}'s species (same lanes, same summation order). */
    private static final boolean VECTORS = Int8Dot.AVAILABLE && L == VectorMath.lanes();

    @Override
    public void prepare(Tensor w, Activations x) {
        if (x.tokens() == 1 && VECTORS) {
            x.roundedToBF16Aligned();
        } else {
            x.roundedToBF16();
        }
    }

    @Override
    public void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        // No PackedGemm here: BF16-rounded activations amplify any change of F32 summation order
        // (a one-ulp difference can flip a BF16 rounding), and this row-by-row order is the one
        // that matches llama.cpp's logits to 1e-5 (LlamaCppGoldenTest).
        MemorySegment seg = w.data();
        int n = w.rowLength();
        float[] in = x.roundedToBF16();
        int tokens = x.tokens();
        if (tokens == 1 && VECTORS) {
            // decode: one row at a time, widened in registers, one memory stream
            MemorySegment aligned = x.roundedToBF16Aligned();
            for (int r = rowFrom; r < rowTo; r++) {
                out[r] = dot1(seg, (long) r * n * 2, n, aligned);
            }
            return;
        }
        float[] row = new float[n];
        for (int r = rowFrom; r < rowTo; r++) {
            long off = (long) r * n * 2;
            int i = 0;
            if (VECTORS) {
                for (int upper = F.loopBound(n); i < upper; i += L) {
                    load(seg, off + 2L * i).intoArray(row, i);
                }
            }
            for (; i < n; i++) {
                row[i] = Bf16.toFloat(seg.get(LE_SHORT, off + 2L * i));
            }
            for (int t = 0; t < tokens; t++) {
                out[t * outStride + r] = VectorMath.dot(row, 0, in, t * n, n);
            }
        }
    }

    /**
     * One row times {@code x}: {@link VectorMath#dot}'s operations in its order (one FMA chain per
     * lane, the lanes summed by {@link VectorMath#sum}, then the tail in index order), on weights
     * widened in registers, so that decode's logits equal the batch path's bit for bit.
     */
    static float dot1(MemorySegment seg, long off, int n, MemorySegment x) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += L) {
            acc = load(seg, off + 2L * i).fma(FloatVector.fromMemorySegment(F, x, 4L * i, ByteOrder.nativeOrder()), acc);
        }
        float sum = VectorMath.sum(acc);
        for (; i < n; i++) {
            sum += Bf16.toFloat(seg.get(LE_SHORT, off + 2L * i)) * x.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        }
        return sum;
    }

    /** {@code L} little-endian BF16 values at {@code off} as floats (exact: a BF16 is a float's upper half). */
    private static FloatVector load(MemorySegment seg, long off) {
        return ((IntVector) ShortVector.fromMemorySegment(S, seg, off, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
