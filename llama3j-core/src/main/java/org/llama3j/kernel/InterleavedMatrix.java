package org.llama3j.kernel;

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
import org.llama3j.tensor.MappedFiles;
import org.llama3j.tensor.Tensor;

/**
 * A Q4_0, Q8_0, Q4_K, Q5_K or Q6_K matrix copied into a layout with one 32-element block per vector
 * lane, so that its dot products with Q8_0 activations (Q8_K for the K-quants: {@link Q4_KInterleaved},
 * {@link Q5_KInterleaved}, {@link Q6_KInterleaved}, which lay out their scales and quant bits their own way) run on 16-bit
 * integer lanes. llama.cpp multiplies these
 * blocks with {@code vpdpbusd}, which the Vector API does not have; 16-bit multiplies and adds of
 * 32 blocks at once are the nearest it offers, and give ggml's exact integer block sums
 * ({@code ggml_vec_dot_q4_0_q8_0}, {@code ggml_vec_dot_q8_0_q8_0}) where the per-block float kernels
 * ({@link Q4_0MatMul}, {@link Q8_0MatMul}) needed several times more vector operations per weight.
 *
 * <p><b>Layout.</b> Each row is cut into groups of 32 blocks (1,024 elements; a last partial group
 * is padded with zero-scale blocks). A group holds the 32 F16 scales, then the blocks' quant bytes
 * transposed: byte {@code j} of the 32 blocks, for each {@code j}, 32 bytes each. A group takes as
 * many bytes as the 32 original blocks. One 32-byte load widened to 32 short lanes is then
 * element {@code j} (or, for Q4_0, a pair of elements) of 32 blocks.
 *
 * <p><b>Activations</b> are quantized to Q8_0 as for the float kernels and transposed the same way
 * ({@link #interleaveActivations}); the kernels scale each exact block sum by its activation scale
 * and its weight scale in float. Every (row, token) is computed by the same operations whether it is
 * decoded alone or in a batch ({@code dot1x4} equals {@code dotRows}).
 *
 * <p><b>Lifetime.</b> {@link #prepare} makes the copy once per tensor, on 512-bit vectors only,
 * and releases the mapped pages it copied from ({@link MappedFiles#release}) as it goes, so
 * resident memory stays about the file's size; readers of the file's layout (embedding lookups)
 * fault the few pages they need back in.
 */
abstract sealed class InterleavedMatrix permits Q4_0Interleaved, Q8_0Interleaved, KQuantInterleaved {
    static final int GROUP_BLOCKS = 32;
    /** Bytes of one group of one token's interleaved activations: 32 × 32 shorts, 32 bias shorts, 32 float scales. */
    static final int X_GROUP_BYTES = 2 * 32 * GROUP_BLOCKS + 2 * GROUP_BLOCKS + 4 * GROUP_BLOCKS;
    static final int X_BIAS = 2 * 32 * GROUP_BLOCKS;
    static final int X_SCALES = X_BIAS + 2 * GROUP_BLOCKS;

    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    /** Whether this machine's vectors have 32 short lanes and the copies are not switched off ({@code -Dllama3j.interleave=false}). */
    static final boolean AVAILABLE = Int8Dot.AVAILABLE && FloatVector.SPECIES_PREFERRED.length() == 16
            && !"false".equals(System.getProperty("llama3j.interleave"));

    /** Copies by tensor (identity keys; weak, so a closed model's copies go with its tensors). */
    private static final Map<Tensor, InterleavedMatrix> COPIES = Collections.synchronizedMap(new WeakHashMap<>());

    final MemorySegment data;
    final int blocks;
    final int groups;
    final long groupBytes;
    final long rowStride;
    final int quantBytes;

    /** Bytes at the start of each group that hold its 32 blocks' scales (F16 for Q4_0/Q8_0). */
    final int scaleBytes;

    InterleavedMatrix(int rows, int blocks, int quantBytes) {
        this(rows, blocks, quantBytes, 2 * GROUP_BLOCKS);
    }

    InterleavedMatrix(int rows, int blocks, int quantBytes, int scaleBytes) {
        this.blocks = blocks;
        this.quantBytes = quantBytes;
        this.scaleBytes = scaleBytes;
        this.groups = groups(blocks);
        this.groupBytes = scaleBytes + (long) quantBytes * GROUP_BLOCKS;
        this.rowStride = groups * groupBytes;
        this.data = AnonymousMemory.allocate(rows * rowStride);
    }

    static int groups(int blocks) {
        return (blocks + GROUP_BLOCKS - 1) / GROUP_BLOCKS;
    }

    /** The interleaved copy of {@code w}, or {@code null} if it has none. */
    static InterleavedMatrix of(Tensor w) {
        return switch (w.type()) {
            case Q4_0, Q8_0, Q4_K, Q5_K, Q6_K -> COPIES.get(w);
            default -> null;
        };
    }

    /**
     * Makes the interleaved copy of a Q4_0, Q8_0, Q4_K, Q5_K or Q6_K matrix (once; later calls return at once) and
     * releases the mapped pages it was read from. Does nothing for other types, without 512-bit
     * vectors, or when a block scale is infinite or NaN (the kernels' vector F16 conversion is exact
     * for finite scales only).
     */
    static void prepare(Tensor w) {
        if (!AVAILABLE || w.rank() != 2 || COPIES.containsKey(w)) {
            return;
        }
        int blocks = w.rowLength() / 32;
        InterleavedMatrix copy = switch (w.type()) {
            case Q4_0 -> new Q4_0Interleaved(w.rows(), blocks);
            case Q8_0 -> new Q8_0Interleaved(w.rows(), blocks);
            case Q4_K -> new Q4_KInterleaved(w.rows(), blocks);
            case Q5_K -> new Q5_KInterleaved(w.rows(), blocks);
            case Q6_K -> new Q6_KInterleaved(w.rows(), blocks);
            default -> null;
        };
        if (copy == null) {
            return;
        }
        AtomicBoolean nonFinite = new AtomicBoolean();
        boolean mapped = MappedFiles.isFileBacked(w.data());
        Parallel.forRange(w.rows(), 64, (from, to) -> {
            int[] tile = new int[256];
            // in chunks of about 512 KB, each released once copied, so that resident memory never
            // holds much of both layouts at once (a 279 MB output matrix went 5 MB over the budget)
            int chunk = (int) Math.max(1, (512 << 10) / w.rowBytes());
            for (int r = from; r < to; r += chunk) {
                int end = Math.min(to, r + chunk);
                if (!copy.copyRows(w.data(), w.rowBytes(), w.type().blockBytes(), r, end, tile)) {
                    nonFinite.set(true);
                }
                if (mapped) {
                    MappedFiles.release(w.data().asSlice(r * w.rowBytes(), (end - r) * w.rowBytes()));
                }
            }
        });
        if (nonFinite.get()) {
            return;
        }
        if (mapped) {
            MappedFiles.release(w.data());
        }
        COPIES.put(w, copy);
    }

    /**
     * Copies rows {@code [from, to)} of blocks of {@code blockBytes} (an F16 scale, then the quant
     * bytes: Q4_0 and Q8_0; the K-quants override this). Padding blocks get scale 0 and quant bytes
     * {@link #paddingByte()}. Returns false if a scale is infinite or NaN.
     */
    boolean copyRows(MemorySegment src, long srcRowBytes, int blockBytes, int from, int to, int[] tile) {
        boolean finite = true;
        for (int r = from; r < to; r++) {
            for (int g = 0; g < groups; g++) {
                long dst = r * rowStride + g * groupBytes;
                long first = r * srcRowBytes + (long) blockBytes * g * GROUP_BLOCKS;
                int real = Math.min(GROUP_BLOCKS, blocks - g * GROUP_BLOCKS);
                for (int s = 0; s < GROUP_BLOCKS; s++) {
                    short d = s < real ? src.get(LE_SHORT, first + (long) blockBytes * s) : 0;
                    finite &= (d & 0x7c00) != 0x7c00;
                    data.set(LE_SHORT, dst + 2L * s, d);
                }
                for (int half = 0; half < 2; half++) {
                    for (int j0 = 0; j0 < blockBytes - 2; j0 += 16) {
                        copyTile(src, first + (long) blockBytes * 16 * half + 2 + j0, blockBytes, real - 16 * half,
                                dst + 64 + 32L * j0 + 16L * half, tile);
                    }
                }
            }
        }
        return finite;
    }

    /**
     * Bytes {@code j0..j0+15} of 16 blocks (the first at {@code src}, {@code blockBytes} apart; only
     * the first {@code real} exist, the rest are padding) into rows {@code j0…} of the group at
     * {@code dst}: widened to a 16 × 16 int tile, transposed, and narrowed back, so byte {@code j} of
     * the 16 blocks is one 16-byte store. Its own method: inlined into the row loop it was boxed (C2's
     * node budget) and the Q8_0 copy ran at 0.7 GB/s instead of 5.
     */
    private void copyTile(MemorySegment src, long srcOff, int blockBytes, int real, long dst, int[] tile) {
        for (int i = 0; i < 16; i++) {
            IntVector v = i < real
                    ? (IntVector) ByteVector.fromMemorySegment(B16, src, srcOff + (long) blockBytes * i, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0)
                    : IntVector.broadcast(I, paddingByte() & 0xff);
            v.intoArray(tile, 16 * i);
        }
        QuantPanelPacking.transpose(tile);
        for (int j = 0; j < 16; j++) {
            IntVector.fromArray(I, tile, 16 * j).convertShape(VectorOperators.I2B, B16, 0).intoMemorySegment(data, dst + 32L * j, LE);
        }
    }

    /** The quant byte of a padding block: its elements' value 0. */
    abstract byte paddingByte();

    /**
     * Rows {@code [from, to)} times token {@code t} of the interleaved activations {@code x}, into
     * {@code out[o + r − from]}: one row after another (one memory stream), reduced four rows at a
     * time ({@link VectorMath#sums4}, the same lane order as {@link VectorMath#sum}), where one
     * reduction per row was 9% of Q4_0 decode.
     */
    final void dotRows(int from, int to, MemorySegment x, int t, float[] out, int o) {
        long xt = (long) t * groups * X_GROUP_BYTES;
        float[] acc = new float[SCRATCH];
        for (int r = from; r < to; r++) {
            dotRow(r * rowStride, x, xt, acc, 16 * ((r - from) & 3));
            if (((r - from) & 3) == 3) {
                int i = o + r - from - 3;
                VectorMath.sums4(acc, 0, out, i, i + 1, i + 2, i + 3);
            }
        }
        for (int r = to - (to - from) % 4; r < to; r++) {
            out[o + r - from] = VectorMath.sum(FloatVector.fromArray(F, acc, 16 * ((r - from) & 3)));
        }
    }

    /**
     * The row at {@code row} times one token's activations (group offsets from {@code xt}): its
     * accumulator vector, before the lane reduction, into {@code acc[at..at+16)}.
     */
    abstract void dotRow(long row, MemorySegment x, long xt, float[] acc, int at);

    /**
     * Row {@code r} times tokens {@code t0} and {@code t0 + 1}: their accumulator vectors (before
     * the lane reduction) into {@code acc[a..a+16)} and {@code acc[a+16..a+32)}, computed by the
     * same operations as {@link #dotRows}'s for each token.
     */
    abstract void dot1x2(int r, MemorySegment x, int t0, float[] acc, int a);

    /**
     * Row {@code r} times tokens {@code t0..t0+3}, into {@code out[o + k·outStride]}, equal to
     * {@link #dotRows}'s results; {@code acc} is {@link #SCRATCH} floats of scratch. Two 1 × 2 tiles, not one
     * 1 × 4: a 1 × 4 body is past C2's inlining budget, and its vectors were boxed (the 8-token step of a
     * Q8_0 matrix took 3× as long as with two 1 × 2 calls; bench/RESULTS.md).
     */
    final void dot1x4(int r, MemorySegment x, int t0, float[] out, int o, int outStride, float[] acc) {
        dot1x2(r, x, t0, acc, 0);
        dot1x2(r, x, t0 + 2, acc, 32);
        VectorMath.sums4(acc, 0, out, o, o + outStride, o + 2 * outStride, o + 3 * outStride);
    }

    /**
     * As {@link PanelPacking#pack} for panels 32 wide: rows {@code [r0, r0 + rows)} dequantized
     * ({@code d · q}, the file layout's packing bit for bit) into columns {@code 0..rows-1} of a k-major
     * panel, the rest zero. Per group and quant byte, 16 rows' bytes of 16 blocks are transposed
     * ({@link #panelBytes}), so each panel store is one element of 16 rows.
     */
    void pack(int r0, int rows, float[] panel, int[] tile, float[] scales) {
        for (int g = 0; g < groups; g++) {
            for (int i0 = 0; i0 < 32; i0 += 16) {
                int m = Math.clamp(rows - i0, 0, 16);
                panelScales(r0, i0, m, g, scales);
                for (int j = 0; j < quantBytes; j++) {
                    for (int half = 0; half < 2; half++) {
                        panelBytes(r0, i0, m, g, j, half, tile);
                        for (int s = 0; s < 16 && g * GROUP_BLOCKS + 16 * half + s < blocks; s++) {
                            storeElements(tile, s, scales, 16 * half + s, g * GROUP_BLOCKS + 16 * half + s, j, panel, i0);
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows {@code [r0, r0 + rows)} as {@link NibblePairGemm}'s panel, 32 rows wide, for copies whose bytes hold two
     * nibbles (Q4_0, Q4_K: byte {@code j} of a block holds elements {@code j} and {@code j + 16}, padding 0x88):
     * {@code panel[pOff + (kp·2 + v)·16 + i]} holds {@code q − 8} of row {@code 16·v + i} at elements {@code 2kp}
     * (low 16 bits) and {@code 2kp + 1} (high 16 bits). {@code scales[sOff + b·32 + row]} gets the block's
     * multiplier of {@code Σ (q − 8)·x} ({@code d}; Q4_K: {@code A = d·sc}); with {@code bias},
     * {@code bias[sOff + b·32 + row]} gets Q4_K's multiplier of {@code Σx}, {@code 8·A − M}
     * ({@code A·Σ q·x − M·Σx = A·Σ (q − 8)·x + (8·A − M)·Σx}). Rows past {@code rows} are zero. Two transposed
     * bytes ({@code j}, {@code j + 1}) give both pairs at once. {@code groupScales} holds 1,024 floats.
     */
    final void packPairs(int r0, int rows, int[] panel, int pOff, float[] scales, float[] bias, int sOff,
                         int[] tile0, int[] tile1, float[] groupScales) {
        for (int g = 0; g < groups; g++) {
            for (int i0 = 0; i0 < 32; i0 += 16) {
                int m = Math.clamp(rows - i0, 0, 16);
                int v = i0 / 16;
                panelScales(r0, i0, m, g, groupScales);
                for (int s = 0; s < GROUP_BLOCKS && g * GROUP_BLOCKS + s < blocks; s++) {
                    int at = sOff + (g * GROUP_BLOCKS + s) * 32 + i0;
                    System.arraycopy(groupScales, 16 * s, scales, at, 16);
                    if (bias != null) {
                        for (int i = 0; i < 16; i++) {
                            bias[at + i] = 8 * groupScales[16 * s + i] - groupScales[512 + 16 * s + i];
                        }
                    }
                }
                for (int j = 0; j < 16; j += 2) {
                    for (int half = 0; half < 2; half++) {
                        panelBytes(r0, i0, m, g, j, half, tile0);
                        panelBytes(r0, i0, m, g, j + 1, half, tile1);
                        for (int s = 0; s < 16 && g * GROUP_BLOCKS + 16 * half + s < blocks; s++) {
                            int b = g * GROUP_BLOCKS + 16 * half + s;
                            // (e − 8) | (o − 8) << 16, written out: a helper returning vectors is boxed
                            // whenever C2 leaves it out of line
                            IntVector even = IntVector.fromArray(I, tile0, 16 * s);
                            IntVector odd = IntVector.fromArray(I, tile1, 16 * s);
                            int kp = b * 16 + j / 2;
                            even.and(0x0f).sub(8).and(0xffff)
                                    .or(odd.and(0x0f).sub(8).lanewise(VectorOperators.LSHL, 16))
                                    .intoArray(panel, pOff + (kp * 2 + v) * 16);
                            even.lanewise(VectorOperators.LSHR, 4).sub(8).and(0xffff)
                                    .or(odd.lanewise(VectorOperators.LSHR, 4).sub(8).lanewise(VectorOperators.LSHL, 16))
                                    .intoArray(panel, pOff + ((kp + 8) * 2 + v) * 16);
                        }
                    }
                }
            }
        }
    }

    /**
     * The elements that byte {@code j} of block {@code b} holds, for the 16 panel rows whose bytes are
     * {@code tile[16·s …]}, scaled by {@code scales[16·blockInGroup …]}, into the 32-wide panel from
     * column {@code i0}.
     */
    abstract void storeElements(int[] tile, int s, float[] scales, int blockInGroup, int b, int j, float[] panel, int i0);

    /**
     * One token at a time ({@code tokens == 1}: the rows as one stream), else row by row in tiles
     * of four tokens, then two, then one.
     */
    final void multiply(MemorySegment x, int tokens, float[] out, int outStride, int rowFrom, int rowTo) {
        if (tokens == 1) {
            dotRows(rowFrom, rowTo, x, 0, out, rowFrom);
            return;
        }
        float[] acc = new float[SCRATCH];
        for (int r = rowFrom; r < rowTo; r++) {
            int t = 0;
            for (; t + 4 <= tokens; t += 4) {
                dot1x4(r, x, t, out, t * outStride + r, outStride, acc);
            }
            if (t + 2 <= tokens) {
                dot1x2(r, x, t, acc, 0);
                out[t * outStride + r] = VectorMath.sum(FloatVector.fromArray(F, acc, 0));
                out[(t + 1) * outStride + r] = VectorMath.sum(FloatVector.fromArray(F, acc, 16));
                t += 2;
            }
            for (; t < tokens; t++) {
                dotRows(r, r + 1, x, t, out, t * outStride + r);
            }
        }
    }

    /**
     * Writes {@code tokens} rows of Q8_0 activations ({@code n / 32} blocks each) transposed for
     * the interleaved kernels: per token and group, element {@code e} of the 32 blocks as 32 shorts,
     * then {@code 8 · Σ q} per block (Q4_0's nibble offset), then the block scales, even blocks first,
     * then odd (the order the kernels widen lane pairs in). Padding blocks are zero.
     */
    static void interleaveActivations(byte[] q, float[] scales, int tokens, int n, MemorySegment dst) {
        // built in arrays and copied in bulk: element-wise segment writes run hundreds of times slower
        // before the JIT compiles them
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

    /** The little-endian float at {@code off} of a copied group. */
    static float floatAt(byte[] group, int off) {
        return Float.intBitsToFloat((group[off] & 0xff) | (group[off + 1] & 0xff) << 8 | (group[off + 2] & 0xff) << 16 | group[off + 3] << 24);
    }

    /** Floats of a kernel's scratch: four accumulator vectors, then a group's 32 weight scales. */
    static final int SCRATCH = 96;

    /** Bytes {@link #interleaveActivations} writes. */
    static long activationBytes(int tokens, int n) {
        return (long) tokens * groups(n / 32) * X_GROUP_BYTES;
    }

    /** 32 shorts of interleaved activations at {@code off}. */
    static ShortVector xs(MemorySegment x, long off) {
        return ShortVector.fromMemorySegment(S, x, off, LE);
    }

    /** The activation scales of the even (at {@code off}) or odd (at {@code off + 64}) blocks of the group at {@code off}. */
    static FloatVector xd(MemorySegment x, long off) {
        return FloatVector.fromMemorySegment(F, x, off + X_SCALES, LE);
    }

    /*
     * F16 → F32 on int lanes: the 15 magnitude bits shifted into a float's exponent and mantissa give
     * the half's value times 2^-112 (normal and subnormal alike), so one multiply by 2^112 is exact; the
     * sign bit is moved over. Infinite/NaN scales are rejected by prepare().
     */

    /** The 32 F16 weight scales of the group at {@code off}. */
    ShortVector weightScales(long off) {
        return ShortVector.fromMemorySegment(S, data, off, LE);
    }

    /** The even blocks' scales of {@link #weightScales} as floats (inlined into the one-token kernels). */
    static FloatVector evenScales(ShortVector d) {
        IntVector v = d.reinterpretAsInts();
        FloatVector magnitude = v.and(0x7fff).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
        return magnitude.reinterpretAsInts().or(v.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** The odd blocks' scales, as {@link #evenScales}. */
    static FloatVector oddScales(ShortVector d) {
        IntVector v = d.reinterpretAsInts();
        FloatVector magnitude = v.lanewise(VectorOperators.LSHR, 3).and(0x7fff << 13).reinterpretAsFloats().mul(0x1p112f);
        return magnitude.reinterpretAsInts().or(v.and(0x80000000)).reinterpretAsFloats();
    }

    /**
     * {@link #evenScales} and {@link #oddScales} into {@code dst[at..at+16)} and {@code dst[at+16..at+32)},
     * for the tiles: through an array, not returned, because the tiles are past C2's inlining budget
     * and a vector returned from a call it does not inline is boxed (a batched step allocated per
     * group and ran at a fifth of its speed).
     */
    void weightScales(long off, float[] dst, int at) {
        ShortVector d = weightScales(off);
        evenScales(d).intoArray(dst, at);
        oddScales(d).intoArray(dst, at + 16);
    }

    /**
     * A group's 32 × 16 scales for a half panel, {@code scales[s·16 + i]} = block {@code s}, row
     * {@code i0 + i} of the panel (zero past its {@code m} rows).
     */
    void panelScales(int r0, int i0, int m, int g, float[] scales) {
        for (int i = 0; i < 16; i++) {
            long w = (r0 + i0 + i) * rowStride + g * groupBytes;
            for (int s = 0; s < GROUP_BLOCKS; s++) {
                scales[s * 16 + i] = i < m ? Float.float16ToFloat(data.get(LE_SHORT, w + 2L * s)) : 0f;
            }
        }
    }

    /**
     * Fills {@code tile} with byte {@code j} of blocks {@code 16·half …} of the panel's 16 rows
     * from {@code i0} (padding bytes past its {@code m} rows) and transposes it: {@code tile[s·16 + i]}
     * is row {@code i}'s byte of block {@code 16·half + s}.
     */
    void panelBytes(int r0, int i0, int m, int g, int j, int half, int[] tile) {
        for (int i = 0; i < 16; i++) {
            IntVector v = IntVector.broadcast(I, paddingByte() & 0xff);
            if (i < m) {
                long off = (r0 + i0 + i) * rowStride + g * groupBytes + scaleBytes + 32L * j + 16L * half;
                v = (IntVector) ByteVector.fromMemorySegment(B16, data, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            }
            v.intoArray(tile, 16 * i);
        }
        QuantPanelPacking.transpose(tile);
    }
}
