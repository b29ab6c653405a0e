package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/** F32 weights times F32 activations, FMA over the widest float vectors. */
final class F32MatMul implements MatMul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public DType type() {
        return DType.F32;
    }

    @Override
    public void prepare(Tensor w, Activations x) {
        if (x.tokens() < PackedGemm.MIN_TOKENS) {
            x.floatsAligned();
        }
    }

    @Override
    public void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        if (x.tokens() >= PackedGemm.MIN_TOKENS) {
            PackedGemm.multiply(w, x.floats(), x.tokens(), out, outStride, rowFrom, rowTo);
            return;
        }
        MemorySegment seg = w.data();
        int n = w.rowLength();
        MemorySegment in = x.floatsAligned();
        int tokens = x.tokens();
        for (int r = rowFrom; r < rowTo; r++) {
            long rowOff = (long) r * n * Float.BYTES;
            for (int t = 0; t < tokens; t++) {
                out[t * outStride + r] = dot(seg, rowOff, in, t * n, n);
            }
        }
    }

    static float dot(MemorySegment seg, long off, MemorySegment x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += S.length()) {
            FloatVector wv = FloatVector.fromMemorySegment(S, seg, off + (long) i * Float.BYTES, ByteOrder.LITTLE_ENDIAN);
            acc = wv.fma(FloatVector.fromMemorySegment(S, x, 4L * (xOff + i), ByteOrder.nativeOrder()), acc);
        }
        float sum = VectorMath.sum(acc);
        for (; i < n; i++) {
            sum += seg.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), off + (long) i * Float.BYTES) * x.getAtIndex(ValueLayout.JAVA_FLOAT, xOff + i);
        }
        return sum;
    }
}
