package org.llama3j.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * A Q4_0 matrix copied at load time into a layout with one block per vector lane, so that the dot
 * product runs on 16-bit integer lanes: llama.cpp multiplies 4-bit weights by 8-bit activations
 * with {@code vpdpbusd}, which the Vector API does not have, and per block of 32 the exact integer
 * sum fits in 16 bits ({@code |q − 8| ≤ 8}, {@code |x| ≤ 127}: {@code 32 · 8 · 127 = 32512}).
 *
 * <p><b>Layout.</b> Each row is cut into groups of 32 blocks (1,024 elements; a last partial group
 * is padded with zero-scale blocks). A group takes 576 bytes, as 32 Q4_0 blocks do: the 32 F16
 * scales, then for {@code j = 0..15} the 32 blocks' byte {@code j} (element {@code j} in its low
 * nibble, element {@code j + 16} in its high one, ggml's {@code block_q4_0}). One 32-byte load
 * widened to 32 short lanes is then one element pair of 32 blocks.
 *
 * <p><b>Arithmetic.</b> The activations are quantized to Q8_0 as for the original kernel and
 * transposed the same way ({@link #interleaveActivations}). Per group, lane {@code s} accumulates
 * {@code Σ nibble · x} over the block's 32 elements in 16 bits; the sum may wrap, but subtracting
 * {@code 8 · Σ x} (also mod 2¹⁶) leaves {@code Σ (nibble − 8) · x}, which fits, so the block sums
 * are exact integers, as ggml's {@code ggml_vec_dot_q4_0_q8_0}. Each is then scaled by its
 * activation scale and its weight scale in float. Per 64 weights the loop is a load, a widening, a
 * mask, a shift, two 16-bit multiplies and two adds, where the float kernel
 * ({@link Q4_0MatMul#dotRows}) needed four times as many vector operations per weight
 * (bench/RESULTS.md, "Q4_0 on 16-bit lanes").
 *
 * <p>Only on 512-bit vectors (32 short lanes). The copy replaces the mapped pages: they are
 * released after copying ({@link MemorySegment#unload()}), so resident memory stays about the
 * file's size; other readers of the tensor (embedding lookups) fault the few pages they need back in.
 */
final class Q4_0Interleaved {
    static final int GROUP_BLOCKS = 32;
    static final int GROUP_BYTES = 2 * GROUP_BLOCKS + 16 * GROUP_BLOCKS;
    /** Bytes of one group of one token's interleaved activations: 32 × 32 shorts, 32 bias shorts, 32 float scales. */
    static final int X_GROUP_BYTES = 2 * 32 * GROUP_BLOCKS + 2 * GROUP_BLOCKS + 4 * GROUP_BLOCKS;
    private static final int X_BIAS = 2 * 32 * GROUP_BLOCKS;
    private static final int X_SCALES = X_BIAS + 2 * GROUP_BLOCKS;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    /** Whether this machine's vectors have 32 short lanes and the copy is not switched off ({@code -Dllama3j.q4Interleave=false}). */
    static final boolean AVAILABLE = Int8Dot.AVAILABLE && FloatVector.SPECIES_PREFERRED.length() == 16
            && !"false".equals(System.getProperty("llama3j.q4Interleave"));

    /** Copies by tensor (identity keys; weak, so a closed model's copies go with its tensors). */
    private static final Map<Tensor, Q4_0Interleaved> COPIES = Collections.synchronizedMap(new WeakHashMap<>());

    private final MemorySegment data;
    private final int groups;
    private final int blocks;
    private final long rowStride;

    private Q4_0Interleaved(MemorySegment data, int blocks) {
        this.data = data;
        this.blocks = blocks;
        this.groups = groups(blocks);
        this.rowStride = (long) groups * GROUP_BYTES;
    }

    static int groups(int blocks) {
        return (blocks + GROUP_BLOCKS - 1) / GROUP_BLOCKS;
    }

    /** The interleaved copy of {@code w}, or {@code null} if it has none. */
    static Q4_0Interleaved of(Tensor w) {
        return w.type() == DType.Q4_0 ? COPIES.get(w) : null;
    }

    /**
     * Makes the interleaved copy of a Q4_0 matrix (once; later calls return at once) and releases
     * the mapped pages it was read from. Does nothing for other types, without 512-bit vectors, or
     * when a block scale is infinite or NaN (the vector F16 conversion is exact for finite scales only).
     */
    static void prepare(Tensor w) {
        if (!AVAILABLE || w.type() != DType.Q4_0 || w.rank() != 2 || COPIES.containsKey(w)) {
            return;
        }
        int blocks = w.rowLength() / 32;
        Q4_0Interleaved copy = new Q4_0Interleaved(HugePages.allocate((long) w.rows() * groups(blocks) * GROUP_BYTES), blocks);
        AtomicBoolean nonFinite = new AtomicBoolean();
        boolean mapped = w.data().isMapped();
        Parallel.forRange(w.rows(), 64, (from, to) -> {
            if (!copy.copyRows(w.data(), w.rowBytes(), from, to, new int[256])) {
                nonFinite.set(true);
            }
            if (mapped) {
                // as it goes, so that resident memory never holds both whole layouts of a large matrix
                w.data().asSlice(from * w.rowBytes(), (to - from) * w.rowBytes()).unload();
            }
        });
        if (nonFinite.get()) {
            return;
        }
        if (mapped) {
            w.data().unload();
        }
        COPIES.put(w, copy);
    }

    /**
     * Copies rows {@code [from, to)}: per 16 blocks, their 16 bytes are widened to a 16 × 16 int
     * tile, transposed, and narrowed back, so byte {@code j} of the 16 blocks is one 16-byte store.
     * Returns false if a scale is infinite or NaN.
     */
    private boolean copyRows(MemorySegment src, long srcRowBytes, int from, int to, int[] tile) {
        boolean finite = true;
        for (int r = from; r < to; r++) {
            for (int g = 0; g < groups; g++) {
                long dst = r * rowStride + (long) g * GROUP_BYTES;
                for (int half = 0; half < 2; half++) {
                    for (int i = 0; i < 16; i++) {
                        int s = 16 * half + i, b = g * GROUP_BLOCKS + s;
                        IntVector v = IntVector.broadcast(I, 0x88);
                        short d = 0;
                        if (b < blocks) {
                            long off = r * srcRowBytes + 18L * b;
                            d = src.get(LE_SHORT, off);
                            finite &= (d & 0x7c00) != 0x7c00;
                            v = (IntVector) ByteVector.fromMemorySegment(B16, src, off + 2, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                        }
                        data.set(LE_SHORT, dst + 2L * s, d);
                        v.intoArray(tile, 16 * i);
                    }
                    QuantPanelPacking.transpose(tile);
                    for (int j = 0; j < 16; j++) {
                        IntVector.fromArray(I, tile, 16 * j).convertShape(VectorOperators.I2B, B16, 0)
                                .intoMemorySegment(data, dst + 64 + 32L * j + 16L * half, LE);
                    }
                }
            }
        }
        return finite;
    }

    /**
     * Writes {@code tokens} rows of Q8_0 activations ({@code n / 32} blocks each) transposed for
     * the interleaved kernels: per token and group, element {@code e} of the 32 blocks as 32 shorts,
     * then {@code 8 · Σ q} per block (the nibble offset), then the block scales, even blocks first,
     * then odd (the order the kernels widen lane pairs in). Padding blocks are zero.
     */
    static void interleaveActivations(byte[] q, float[] scales, int tokens, int n, MemorySegment dst) {
        // built in arrays and copied in bulk: element-wise segment writes run hundreds of times slower
        // before the JIT compiles them, and the first prompt after start-up runs this cold
        int blocks = n / 32, groups = groups(blocks);
        short[] xs = new short[33 * GROUP_BLOCKS];
        float[] xd = new float[GROUP_BLOCKS];
        for (int t = 0; t < tokens; t++) {
            for (int g = 0; g < groups; g++) {
                for (int s = 0; s < GROUP_BLOCKS; s++) {
                    int b = g * GROUP_BLOCKS + s;
                    boolean real = b < blocks;
                    int qBase = (t * blocks + b) * 32;
                    int sum = 0;
                    for (int e = 0; e < 32; e++) {
                        short v = real ? q[qBase + e] : 0;
                        sum += v;
                        xs[32 * e + s] = v;
                    }
                    xs[32 * 32 + s] = (short) (8 * sum);
                    xd[(s & 1) * 16 + (s >> 1)] = real ? scales[t * blocks + b] : 0f;
                }
                long base = ((long) t * groups + g) * X_GROUP_BYTES;
                MemorySegment.copy(xs, 0, dst, LE_SHORT, base, xs.length);
                MemorySegment.copy(xd, 0, dst, LE_FLOAT, base + X_SCALES, xd.length);
            }
        }
    }

    /** Bytes {@link #interleaveActivations} writes. */
    static long activationBytes(int tokens, int n) {
        return (long) tokens * groups(n / 32) * X_GROUP_BYTES;
    }

    /** Rows {@code [from, to)} times token {@code t} of the interleaved activations {@code x}, into {@code out[o + r − from]}. */
    void dotRows(int from, int to, MemorySegment x, int t, float[] out, int o) {
        long xt = (long) t * groups * X_GROUP_BYTES;
        for (int r = from; r < to; r++) {
            long row = r * rowStride;
            FloatVector even = FloatVector.zero(F), odd = FloatVector.zero(F);
            for (int g = 0; g < groups; g++) {
                long w = row + (long) g * GROUP_BYTES, xo = xt + (long) g * X_GROUP_BYTES;
                ShortVector s = ShortVector.zero(S);
                for (long j = 0; j < 512; j += 32) {
                    ShortVector v = nibbles(w + 64 + j);
                    s = s.add(v.and((short) 0x0f).mul(xs(x, xo + 2 * j)))
                            .add(v.lanewise(VectorOperators.LSHR, 4).mul(xs(x, xo + 2 * j + 1024)));
                }
                IntVector sums = s.sub(xs(x, xo + X_BIAS)).reinterpretAsInts();
                ShortVector d = ShortVector.fromMemorySegment(S, data, w, LE);
                even = evenSums(sums).mul(xd(x, xo)).fma(evenScales(d), even);
                odd = oddSums(sums).mul(xd(x, xo + 64)).fma(oddScales(d), odd);
            }
            out[o + r - from] = VectorMath.sum(even.add(odd));
        }
    }

    /**
     * Row {@code r} times tokens {@code t0..t0+3}, into {@code out[o + k·outStride]}: each byte pair
     * is widened and split once for the four tokens; per token the operations are {@link #dotRows}'s
     * in the same order, so the results are equal.
     */
    void dot1x4(int r, MemorySegment x, int t0, float[] out, int o, int outStride, float[] acc) {
        long row = r * rowStride, ts = (long) groups * X_GROUP_BYTES;
        FloatVector e0 = FloatVector.zero(F), o0 = FloatVector.zero(F), e1 = FloatVector.zero(F), o1 = FloatVector.zero(F);
        FloatVector e2 = FloatVector.zero(F), o2 = FloatVector.zero(F), e3 = FloatVector.zero(F), o3 = FloatVector.zero(F);
        for (int g = 0; g < groups; g++) {
            long w = row + (long) g * GROUP_BYTES;
            long x0 = t0 * ts + (long) g * X_GROUP_BYTES, x1 = x0 + ts, x2 = x1 + ts, x3 = x2 + ts;
            ShortVector s0 = ShortVector.zero(S), s1 = ShortVector.zero(S), s2 = ShortVector.zero(S), s3 = ShortVector.zero(S);
            for (long j = 0; j < 512; j += 32) {
                ShortVector v = nibbles(w + 64 + j);
                ShortVector lo = v.and((short) 0x0f), hi = v.lanewise(VectorOperators.LSHR, 4);
                s0 = s0.add(lo.mul(xs(x, x0 + 2 * j))).add(hi.mul(xs(x, x0 + 2 * j + 1024)));
                s1 = s1.add(lo.mul(xs(x, x1 + 2 * j))).add(hi.mul(xs(x, x1 + 2 * j + 1024)));
                s2 = s2.add(lo.mul(xs(x, x2 + 2 * j))).add(hi.mul(xs(x, x2 + 2 * j + 1024)));
                s3 = s3.add(lo.mul(xs(x, x3 + 2 * j))).add(hi.mul(xs(x, x3 + 2 * j + 1024)));
            }
            ShortVector d = ShortVector.fromMemorySegment(S, data, w, LE);
            FloatVector de = evenScales(d), dO = oddScales(d);
            IntVector sums = s0.sub(xs(x, x0 + X_BIAS)).reinterpretAsInts();
            e0 = evenSums(sums).mul(xd(x, x0)).fma(de, e0);
            o0 = oddSums(sums).mul(xd(x, x0 + 64)).fma(dO, o0);
            sums = s1.sub(xs(x, x1 + X_BIAS)).reinterpretAsInts();
            e1 = evenSums(sums).mul(xd(x, x1)).fma(de, e1);
            o1 = oddSums(sums).mul(xd(x, x1 + 64)).fma(dO, o1);
            sums = s2.sub(xs(x, x2 + X_BIAS)).reinterpretAsInts();
            e2 = evenSums(sums).mul(xd(x, x2)).fma(de, e2);
            o2 = oddSums(sums).mul(xd(x, x2 + 64)).fma(dO, o2);
            sums = s3.sub(xs(x, x3 + X_BIAS)).reinterpretAsInts();
            e3 = evenSums(sums).mul(xd(x, x3)).fma(de, e3);
            o3 = oddSums(sums).mul(xd(x, x3 + 64)).fma(dO, o3);
        }
        // through the caller's array for the reason given at Q8_0MatMul.dot2x4 (C2's inlining budget)
        e0.add(o0).intoArray(acc, 0);
        e1.add(o1).intoArray(acc, 16);
        e2.add(o2).intoArray(acc, 32);
        e3.add(o3).intoArray(acc, 48);
        VectorMath.sums4(acc, 0, out, o, o + outStride, o + 2 * outStride, o + 3 * outStride);
    }

    /** 32 packed bytes (byte j of 32 blocks) zero-extended to shorts. */
    private ShortVector nibbles(long off) {
        return (ShortVector) ByteVector.fromMemorySegment(B32, data, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
    }

    private static ShortVector xs(MemorySegment x, long off) {
        return ShortVector.fromMemorySegment(S, x, off, LE);
    }

    /** The activation scales of the even (at {@code off}) or odd (at {@code off + 64}) blocks of a group. */
    private static FloatVector xd(MemorySegment x, long off) {
        return FloatVector.fromMemorySegment(F, x, off + X_SCALES, LE);
    }

    /** Lanes 0, 2, …, 30 of 32 shorts viewed as 16 ints (the low halves), sign-extended, as floats. */
    private static FloatVector evenSums(IntVector v) {
        return (FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0);
    }

    /** Lanes 1, 3, …, 31 (the high halves), sign-extended, as floats. */
    private static FloatVector oddSums(IntVector v) {
        return (FloatVector) v.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0);
    }

    /*
     * F16 → F32 on int lanes: the 15 magnitude bits shifted into a float's exponent and mantissa
     * give the half's value times 2^-112 (normal and subnormal alike), so one multiply by 2^112 is
     * exact; the sign bit is moved over. Infinite/NaN scales are rejected by prepare().
     */

    private static FloatVector evenScales(ShortVector d) {
        IntVector v = d.reinterpretAsInts();
        FloatVector magnitude = v.and(0x7fff).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
        return magnitude.reinterpretAsInts().or(v.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    private static FloatVector oddScales(ShortVector d) {
        IntVector v = d.reinterpretAsInts();
        FloatVector magnitude = v.lanewise(VectorOperators.LSHR, 3).and(0x7fff << 13).reinterpretAsFloats().mul(0x1p112f);
        return magnitude.reinterpretAsInts().or(v.and(0x80000000)).reinterpretAsFloats();
    }

    /**
     * As {@link PanelPacking#pack} for panels 32 wide: rows {@code [r0, r0 + rows)} dequantized
     * ({@code d · (nibble − 8)}, the original packing's values bit for bit) into columns
     * {@code 0..rows-1} of a k-major panel, the rest zero. Per group and byte index, 16 rows' bytes of
     * 16 blocks are transposed as a 16 × 16 int tile, so every panel store is a vector of 16 rows.
     */
    void pack(int r0, int rows, float[] panel, int[] tile, float[] scales) {
        int width = 32;
        for (int g = 0; g < groups; g++) {
            for (int i0 = 0; i0 < width; i0 += 16) {
                int m = Math.clamp(rows - i0, 0, 16);
                // scales[s * 16 + i]: block s of the group, row i0 + i (zero for missing rows)
                for (int i = 0; i < 16; i++) {
                    long w = (r0 + i0 + i) * rowStride + (long) g * GROUP_BYTES;
                    for (int s = 0; s < GROUP_BLOCKS; s++) {
                        scales[s * 16 + i] = i < m ? Float.float16ToFloat(data.get(LE_SHORT, w + 2L * s)) : 0f;
                    }
                }
                for (int j = 0; j < 16; j++) {
                    for (int half = 0; half < 2; half++) {
                        for (int i = 0; i < 16; i++) {
                            IntVector v = IntVector.broadcast(I, 0x88);
                            if (i < m) {
                                long off = (r0 + i0 + i) * rowStride + (long) g * GROUP_BYTES + 64 + 32L * j + 16L * half;
                                v = (IntVector) ByteVector.fromMemorySegment(B16, data, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                            }
                            v.intoArray(tile, 16 * i);
                        }
                        QuantPanelPacking.transpose(tile);
                        for (int s = 0; s < 16; s++) {
                            int blockInGroup = 16 * half + s, b = g * GROUP_BLOCKS + blockInGroup;
                            if (b >= blocks) {
                                break;
                            }
                            IntVector q = IntVector.fromArray(I, tile, 16 * s);
                            FloatVector d = FloatVector.fromArray(F, scales, 16 * blockInGroup);
                            ((FloatVector) q.and(0x0f).sub(8).convert(VectorOperators.I2F, 0)).mul(d)
                                    .intoArray(panel, (b * 32 + j) * width + i0);
                            ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).sub(8).convert(VectorOperators.I2F, 0)).mul(d)
                                    .intoArray(panel, (b * 32 + j + 16) * width + i0);
                        }
                    }
                }
            }
        }
    }
}
