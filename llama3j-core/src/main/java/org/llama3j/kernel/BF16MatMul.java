package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/** BF16 weights times activations rounded to BF16 (as llama.cpp does), accumulated in F32. */
final class BF16MatMul implements MatMul {
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public DType type() {
        return DType.BF16;
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
        float[] row = new float[n];
        for (int r = rowFrom; r < rowTo; r++) {
            long off = (long) r * n * 2;
            for (int i = 0; i < n; i++) {
                row[i] = Bf16.toFloat(seg.get(LE_SHORT, off + 2L * i));
            }
            for (int t = 0; t < tokens; t++) {
                out[t * outStride + r] = VectorMath.dot(row, 0, in, t * n, n);
            }
        }
    }
}
