package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Q8_0 weights (blocks of an F16 scale and 32 int8) times Q8_0-quantized activations: per block
 * an integer dot product scaled by both block scales, as ggml's {@code ggml_vec_dot_q8_0_q8_0}.
 */
final class Q8_0MatMul implements MatMul {
    static final int BLOCK_BYTES = 34;
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public DType type() {
        return DType.Q8_0;
    }

    @Override
    public void multiply(Tensor w, Activations x, float[] out, int outStride, int rowFrom, int rowTo) {
        MemorySegment seg = w.data();
        int n = w.rowLength();
        int blocks = n / 32;
        byte[] xq = x.q8Quants();
        float[] xd = x.q8Scales();
        int tokens = x.tokens();
        boolean vector = Int8Dot.AVAILABLE;
        for (int r = rowFrom; r < rowTo; r++) {
            long rowOff = (long) r * blocks * BLOCK_BYTES;
            for (int t = 0; t < tokens; t++) {
                out[t * outStride + r] = vector
                        ? dotVector(seg, rowOff, blocks, xq, xd, t * blocks)
                        : dotScalar(seg, rowOff, blocks, xq, xd, t * blocks);
            }
        }
    }

    static float dotScalar(MemorySegment seg, long rowOff, int blocks, byte[] xq, float[] xd, int xBlock) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            float dw = Float.float16ToFloat(seg.get(LE_SHORT, off));
            int xBase = (xBlock + b) * 32;
            int isum = 0;
            for (int j = 0; j < 32; j++) {
                isum += seg.get(ValueLayout.JAVA_BYTE, off + 2 + j) * xq[xBase + j];
            }
            sum += isum * (dw * xd[xBlock + b]);
        }
        return sum;
    }

    static float dotVector(MemorySegment seg, long rowOff, int blocks, byte[] xq, float[] xd, int xBlock) {
        FloatVector acc = FloatVector.zero(Int8Dot.F);
        for (int b = 0; b < blocks; b++) {
            long off = rowOff + (long) b * BLOCK_BYTES;
            float scale = Float.float16ToFloat(seg.get(LE_SHORT, off)) * xd[xBlock + b];
            int xBase = (xBlock + b) * 32;
            ByteVector w0 = ByteVector.fromMemorySegment(Int8Dot.B, seg, off + 2, ByteOrder.LITTLE_ENDIAN);
            ByteVector w1 = ByteVector.fromMemorySegment(Int8Dot.B, seg, off + 18, ByteOrder.LITTLE_ENDIAN);
            IntVector s = Int8Dot.dot16(w0, ByteVector.fromArray(Int8Dot.B, xq, xBase))
                    .add(Int8Dot.dot16(w1, ByteVector.fromArray(Int8Dot.B, xq, xBase + 16)));
            acc = ((FloatVector) s.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(Int8Dot.F, scale), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
