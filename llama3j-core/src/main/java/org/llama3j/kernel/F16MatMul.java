package org.llama3j.kernel;

import static org.llama3j.kernel.HalfVectors.F;
import static org.llama3j.kernel.HalfVectors.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * F16 weights times activations rounded to F16 (as llama.cpp does), accumulated in F32: four rows
 * per pass with vectorised half conversion for decode, {@link PackedGemm} for batches.
 */
final class F16MatMul implements MatMul {
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public DType type() {
        return DType.F16;
    }

    @Override
    public void prepare(Tensor w, Activations x) {
        if (x.tokens() < PackedGemm.MIN_TOKENS && Int8Dot.AVAILABLE) {
            x.roundedToF16Aligned();
        } else {
            x.roundedToF16();
        }
    }

    @Override
    public void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        int tokens = x.tokens();
        float[] in = x.roundedToF16();
        if (tokens >= PackedGemm.MIN_TOKENS) {
            PackedGemm.multiply(w, in, tokens, out, outStride, rowFrom, rowTo);
            return;
        }
        MemorySegment seg = w.data();
        int n = w.rowLength();
        long rowBytes = 2L * n;
        if (tokens == 1 && Int8Dot.AVAILABLE) {
            // decode: one row at a time, one memory stream (see Q8ActivationMatMul#vectorRowRange)
            MemorySegment aligned = x.roundedToF16Aligned();
            for (int r = rowFrom; r < rowTo; r++) {
                out[r] = dot1(seg, r * rowBytes, n, aligned, 0);
            }
            return;
        }
        // groups of four rows outer, tokens inner: a group is read from memory once per batch
        int r = rowFrom;
        if (Int8Dot.AVAILABLE) {
            for (; r + 4 <= rowTo; r += 4) {
                for (int t = 0; t < tokens; t++) {
                    dot4(seg, r * rowBytes, rowBytes, n, in, t * n, out, t * outStride + r);
                }
            }
        }
        MemorySegment aligned = r < rowTo && Int8Dot.AVAILABLE ? x.roundedToF16Aligned() : null;
        for (; r < rowTo; r++) {
            for (int t = 0; t < tokens; t++) {
                out[t * outStride + r] = aligned != null
                        ? dot1(seg, r * rowBytes, n, aligned, t * n)
                        : dotScalar(seg, r * rowBytes, n, in, t * n);
            }
        }
    }

    static float dotScalar(MemorySegment seg, long off, int n, float[] x, int xOff) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += Float.float16ToFloat(seg.get(LE_SHORT, off + 2L * i)) * x[xOff + i];
        }
        return sum;
    }

    /** One row, in {@link #dot4}'s order for each of its rows (so a token's logits do not depend on its batch). */
    static float dot1(MemorySegment seg, long off, int n, MemorySegment x, int xOff) {
        FloatVector a = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += L) {
            a = HalfVectors.load(seg, off + 2L * i).fma(FloatVector.fromMemorySegment(F, x, 4L * (xOff + i), ByteOrder.nativeOrder()), a);
        }
        float s = VectorMath.sum(a);
        for (; i < n; i++) {
            s += Float.float16ToFloat(seg.get(LE_SHORT, off + 2L * i)) * x.getAtIndex(ValueLayout.JAVA_FLOAT, xOff + i);
        }
        return s;
    }

    /** Four rows, the vector part over whole vectors and a scalar tail. */
    static void dot4(MemorySegment seg, long off, long rowBytes, int n, float[] x, int xOff, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            long e = off + 2L * i;
            a0 = HalfVectors.load(seg, e).fma(xv, a0);
            a1 = HalfVectors.load(seg, e + rowBytes).fma(xv, a1);
            a2 = HalfVectors.load(seg, e + 2 * rowBytes).fma(xv, a2);
            a3 = HalfVectors.load(seg, e + 3 * rowBytes).fma(xv, a3);
        }
        float s0 = VectorMath.sum(a0), s1 = VectorMath.sum(a1);
        float s2 = VectorMath.sum(a2), s3 = VectorMath.sum(a3);
        for (; i < n; i++) {
            float xi = x[xOff + i];
            long e = off + 2L * i;
            s0 += Float.float16ToFloat(seg.get(LE_SHORT, e)) * xi;
            s1 += Float.float16ToFloat(seg.get(LE_SHORT, e + rowBytes)) * xi;
            s2 += Float.float16ToFloat(seg.get(LE_SHORT, e + 2 * rowBytes)) * xi;
            s3 += Float.float16ToFloat(seg.get(LE_SHORT, e + 3 * rowBytes)) * xi;
        }
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }
}
