package org.llama3j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/** Random weight matrices and activations for the benchmarks (quantized by llama3j's own codecs). */
final class Weights {
    private Weights() {
    }

    /** A {@code rows × n} matrix of Gaussian values in {@code type}, off-heap like an mmapped model. */
    static Tensor matrix(DType type, int rows, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        MemorySegment seg = Arena.global().allocate(type.bytesFor((long) rows * n), 64);
        if (!BlockCodecs.of(type).canQuantize()) {
            return randomKQuant(type, rows, n, rnd, seg);
        }
        float[] row = new float[n];
        long rowBytes = type.bytesFor(n);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                row[i] = (float) gaussian(rnd) * 0.02f;
            }
            BlockCodecs.of(type).quantize(row, 0, n, seg, r * rowBytes);
        }
        return new Tensor("w", type, new long[] {n, rows}, seg);
    }

    /**
     * Q4_K or Q6_K (no quantizer of ours): random quant bytes with super-block scales of a real file's
     * size (F16 {@code d}, and {@code dmin} for Q4_K, 0.002–0.02). Random bits as scales would make a
     * fifteenth of them subnormal, and denormal float arithmetic made kernels measure half their speed.
     */
    private static Tensor randomKQuant(DType type, int rows, int n, SplittableRandom rnd, MemorySegment seg) {
        for (long i = 0; i < seg.byteSize(); i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
        }
        ValueLayout.OfShort le = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long b = 0; b < seg.byteSize(); b += type.blockBytes()) {
            switch (type) {
                case Q4_K, Q5_K -> {
                    seg.set(le, b, Float.floatToFloat16(0.002f + 0.018f * (float) rnd.nextDouble()));
                    seg.set(le, b + 2, Float.floatToFloat16(0.002f + 0.018f * (float) rnd.nextDouble()));
                }
                case Q6_K -> seg.set(le, b + type.blockBytes() - 2, Float.floatToFloat16(0.002f + 0.018f * (float) rnd.nextDouble()));
                default -> throw new IllegalArgumentException("no random " + type + " weights");
            }
        }
        return new Tensor("w", type, new long[] {n, rows}, seg);
    }

    static float[] activations(int tokens, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[tokens * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) gaussian(rnd);
        }
        return x;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian of its own before Java 17's RandomGenerator default
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
