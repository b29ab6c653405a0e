package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llama3j.quant.BlockCodec;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Every matmul kernel against a plain double-precision reference computed from the dequantized
 * weights and the activations in the form the kernel's type multiplies (F32, F16- or BF16-rounded,
 * or Q8_0-quantized), on random shapes including many rows and ragged thread splits.
 */
class MatMulKernelTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q4_1", "Q5_0"})
    void kernelMatchesReference(DType type) {
        Random rnd = new Random(42 + type.ordinal());
        int[][] shapes = type.blockSize() == 256 ? new int[][] {{256, 3, 1}, {512, 37, 5}}
                : new int[][] {{32, 1, 1}, {64, 7, 3}, {96, 33, 4}, {4096, 19, 2}, {160, 130, 9}, {224, 37, 13}, {64, 64, 6}, {128, 45, 40}};
        for (int[] shape : shapes) {
            int n = shape[0], rows = shape[1], tokens = shape[2];
            float[] wf = new float[n * rows];
            for (int i = 0; i < wf.length; i++) {
                wf[i] = (float) rnd.nextGaussian();
            }
            Tensor w = quantizedTensor(type, wf, n, rows);
            float[] x = new float[tokens * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian() * 2;
            }
            Activations act = new Activations().set(x, tokens, n);
            float[] out = new float[tokens * rows];
            MatMuls.multiply(w, act, out);

            float[] deq = BlockCodecs.dequantize(w);
            float[] xr = referenceInput(type, act);
            for (int t = 0; t < tokens; t++) {
                for (int r = 0; r < rows; r++) {
                    double ref = 0, mag = 0;
                    for (int i = 0; i < n; i++) {
                        ref += (double) deq[r * n + i] * xr[t * n + i];
                        mag += Math.abs((double) deq[r * n + i] * xr[t * n + i]);
                    }
                    assertEquals(ref, out[t * rows + r], 1e-5 * mag + 1e-6,
                            type + " n=" + n + " row " + r + " token " + t);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0"})
    void vectorAndScalarPathsAgree(DType type) {
        Random rnd = new Random(7);
        int n = 2048, rows = 5;
        float[] wf = new float[n * rows];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = (float) rnd.nextGaussian();
        }
        Tensor w = quantizedTensor(type, wf, n, rows);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        Activations act = new Activations().set(x, 1, n);
        int blocks = n / 32;
        float[] all = new float[rows];
        if (type == DType.Q8_0) {
            Q8_0MatMul.dotRows(w.data(), 0, w.rowBytes(), rows, blocks, act.q8DequantizedAligned(), 0, all, 0);
        } else {
            Q4_0MatMul.dotRows(w.data(), 0, w.rowBytes(), rows, blocks, act.q8DequantizedAligned(), 0, all, 0);
        }
        for (int r = 0; r < rows; r++) {
            long off = r * w.rowBytes();
            float scalar = type == DType.Q8_0
                    ? Q8_0MatMul.dotScalar(w.data(), off, blocks, act.q8Quants(), act.q8Scales(), 0)
                    : Q4_0MatMul.dotScalar(w.data(), off, blocks, act.q8Quants(), act.q8Scales(), 0);
            float[] one = new float[1];
            if (type == DType.Q8_0) {
                Q8_0MatMul.dotRows(w.data(), off, w.rowBytes(), 1, blocks, act.q8DequantizedAligned(), 0, one, 0);
            } else {
                Q4_0MatMul.dotRows(w.data(), off, w.rowBytes(), 1, blocks, act.q8DequantizedAligned(), 0, one, 0);
            }
            assertEquals(scalar, one[0], 1e-4f * Math.abs(scalar) + 1e-4f, type + " row " + r + " one-row vector path");
            assertEquals(one[0], all[r], type + " row " + r + ": a row's result does not depend on the range it is in");
        }
    }

    @Test
    void halfVectorsConvertEveryClassOfHalf() {
        // normals, subnormals, signed zeros, the largest finite, infinities and a NaN
        short[] halves = {0x3c00, (short) 0xbc00, 0x0001, (short) 0x8001, 0x03ff, 0x0400, 0x0000, (short) 0x8000,
                0x7bff, (short) 0xfbff, 0x7c00, (short) 0xfc00, 0x7e00, 0x3555, (short) 0xc123, 0x1234};
        int lanes = HalfVectors.L;
        MemorySegment seg = Arena.ofAuto().allocate(2L * halves.length * 2, 64);
        for (int i = 0; i < halves.length * 2; i++) {
            seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i, halves[i % halves.length]);
        }
        for (int base = 0; base + lanes <= halves.length * 2; base += lanes) {
            float[] got = HalfVectors.load(seg, 2L * base).toArray();
            for (int i = 0; i < lanes; i++) {
                short h = halves[(base + i) % halves.length];
                float want = Float.float16ToFloat(h);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]), "half 0x" + Integer.toHexString(h & 0xffff));
            }
        }
    }

    @Test
    void f16FourRowPathMatchesScalarWithRaggedTail() {
        Random rnd = new Random(11);
        int n = 16 * 5 + 7, rows = 4;
        float[] wf = new float[n * rows];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = (float) rnd.nextGaussian();
        }
        Tensor w = quantizedTensor(DType.F16, wf, n, rows);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] four = new float[4];
        F16MatMul.dot4(w.data(), 0, w.rowBytes(), n, x, 0, four, 0);
        for (int r = 0; r < rows; r++) {
            float scalar = F16MatMul.dotScalar(w.data(), r * w.rowBytes(), n, x, 0);
            assertEquals(scalar, four[r], 1e-4f * Math.abs(scalar) + 1e-4f, "row " + r);
        }
    }

    /** The activations as the kernel for {@code type} sees them. */
    private static float[] referenceInput(DType type, Activations act) {
        return switch (type) {
            case F16 -> act.roundedToF16();
            case BF16 -> act.roundedToBF16();
            case Q8_0, Q4_0 -> {
                byte[] q = act.q8Quants();
                float[] d = act.q8Scales();
                float[] r = new float[act.tokens() * act.length()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = q[i] * d[i / 32];
                }
                yield r;
            }
            case Q4_K, Q5_K, Q6_K -> act.q8K().dequantized.clone();
            default -> act.floats();
        };
    }

    static Tensor quantizedTensor(DType type, float[] values, int n, int rows) {
        MemorySegment seg = Arena.ofAuto().allocate(type.bytesFor((long) n * rows), 64);
        BlockCodec codec = BlockCodecs.of(type);
        if (codec.canQuantize()) {
            codec.quantize(values, 0, values.length, seg, 0);
        } else {
            // No quantizer for this type: random bytes with sane scales exercise the kernel as well.
            Random rnd = new Random(values.length);
            for (long i = 0; i < seg.byteSize(); i++) {
                seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
            }
            fixScales(type, seg);
        }
        return new Tensor("w", type, new long[] {n, rows}, seg);
    }

    /** Overwrites the F16 super-block scales of random K-quant/32-block data with small finite values. */
    private static void fixScales(DType type, MemorySegment seg) {
        var le = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        short small = Float.floatToFloat16(0.01f);
        for (long b = 0; b < seg.byteSize(); b += type.blockBytes()) {
            switch (type) {
                case Q4_K, Q5_K -> {
                    seg.set(le, b, small);
                    seg.set(le, b + 2, small);
                }
                case Q6_K -> seg.set(le, b + type.blockBytes() - 2, small);
                case Q4_1, Q5_1 -> {
                    seg.set(le, b, small);
                    seg.set(le, b + 2, small);
                }
                default -> seg.set(le, b, small);
            }
        }
    }
}
