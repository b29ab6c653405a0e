package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.llama3j.tensor.DType;

/**
 * Vectorised {@link PanelPacking} of Q8_0 and Q4_0 rows into a panel of two vectors' width: per
 * 32-element block, an {@code L × L} tile of dequantized values is written row by row (one
 * widening and one multiply per {@code L} elements), transposed in place, and stored k by k into
 * the panel. The transpose takes {@code log₂ L} stages of two-vector lane selects (Knuth's
 * recursive block swap: swap the off-diagonal {@code h × h} blocks of every {@code 2h × 2h} block,
 * for {@code h = L/2 … 1}), {@code L·log₂ L} selects per tile instead of a scalar
 * store per element. The values are the scalar packing's bit for bit: {@code d · q} in float.
 */
final class QuantPanelPacking {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(L * 8));
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(F.vectorShape());
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int STAGES = Integer.numberOfTrailingZeros(L);
    /**
     * Per stage: lane selects (indexes into two vectors) for the first and second row of a pair.
     * Int indexes on the floats' bits: float indexes would be converted on every select.
     */
    private static final IntVector[] FIRST = new IntVector[STAGES];
    private static final IntVector[] SECOND = new IntVector[STAGES];

    static {
        for (int s = 0; s < STAGES; s++) {
            int h = L >> (s + 1);
            int[] first = new int[L], second = new int[L];
            for (int l = 0; l < L; l++) {
                // row i keeps its lanes with bit h clear and takes row i+h's lanes (l - h) where set;
                // row i+h takes row i's lanes (l + h) where bit h is clear and keeps its own where set
                first[l] = (l & h) == 0 ? l : L + l - h;
                second[l] = (l & h) == 0 ? l + h : L + l;
            }
            FIRST[s] = IntVector.fromArray(I, first, 0);
            SECOND[s] = IntVector.fromArray(I, second, 0);
        }
    }

    /** The tile, as the floats' bits (the lane selects run on int vectors). */
    private static final ThreadLocal<int[]> TILE = ThreadLocal.withInitial(() -> new int[L * L]);

    private QuantPanelPacking() {
    }

    /** Whether this packer handles panels of {@code width} for weights of {@code type}. */
    static boolean supports(DType type, int width) {
        return Int8Dot.AVAILABLE && width == 2 * L && (type == DType.Q8_0 || type == DType.Q4_0);
    }

    /** As {@link PanelPacking#pack}: rows {@code [r0, r0 + rows)} into columns {@code 0..rows-1}, the rest zero. */
    static void pack(MemorySegment seg, DType type, long rowBytes, int n, int r0, int rows, float[] panel) {
        int[] tile = TILE.get();
        int width = 2 * L;
        boolean q8 = type == DType.Q8_0;
        int blockBytes = q8 ? Q8_0MatMul.BLOCK_BYTES : Q4_0MatMul.BLOCK_BYTES;
        for (int b = 0, blocks = n / 32; b < blocks; b++) {
            for (int i0 = 0; i0 < width; i0 += L) {
                int m = Math.clamp(rows - i0, 0, L);
                for (int k0 = 0; k0 < 32; k0 += L) {
                    for (int i = 0; i < L; i++) {
                        FloatVector v = FloatVector.zero(F);
                        if (i < m) {
                            long off = (r0 + i0 + i) * rowBytes + (long) b * blockBytes;
                            v = q8 ? q8Slice(seg, off, k0) : q4Slice(seg, off, k0);
                        }
                        v.reinterpretAsInts().intoArray(tile, i * L);
                    }
                    transpose(tile);
                    int base = (b * 32 + k0) * width + i0;
                    for (int k = 0; k < L; k++) {
                        IntVector.fromArray(I, tile, k * L).reinterpretAsFloats().intoArray(panel, base + k * width);
                    }
                }
            }
        }
    }

    /** Elements {@code k0..k0+L} of the Q8_0 block at {@code off}: {@code d · q}. */
    private static FloatVector q8Slice(MemorySegment seg, long off, int k0) {
        float d = Float.float16ToFloat(seg.get(LE_SHORT, off));
        FloatVector q = (FloatVector) ByteVector.fromMemorySegment(B, seg, off + 2 + k0, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.B2F, F, 0);
        return q.mul(d);
    }

    /** Elements {@code k0..k0+L} of the Q4_0 block at {@code off}: {@code d · (nibble − 8)}, low nibbles for k < 16. */
    private static FloatVector q4Slice(MemorySegment seg, long off, int k0) {
        float d = Float.float16ToFloat(seg.get(LE_SHORT, off));
        IntVector q = (IntVector) ByteVector.fromMemorySegment(B, seg, off + 2 + (k0 & 15), ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
        IntVector nibble = k0 < 16 ? q.and(0x0f) : q.lanewise(VectorOperators.LSHR, 4);
        return ((FloatVector) nibble.sub(8).convertShape(VectorOperators.I2F, F, 0)).mul(d);
    }

    /** Transposes the {@code L × L} row-major tile in place: in registers for 16 lanes (AVX-512), else stage by stage in memory. */
    static void transpose(int[] tile) {
        if (L == 16) {
            transpose16(tile);
            return;
        }
        for (int s = 0; s < STAGES; s++) {
            int h = L >> (s + 1);
            IntVector first = FIRST[s], second = SECOND[s];
            for (int g = 0; g < L; g += 2 * h) {
                for (int i = g; i < g + h; i++) {
                    IntVector a = IntVector.fromArray(I, tile, i * L);
                    IntVector c = IntVector.fromArray(I, tile, (i + h) * L);
                    first.selectFrom(a, c).intoArray(tile, i * L);
                    second.selectFrom(a, c).intoArray(tile, (i + h) * L);
                }
            }
        }
    }

    /**
     * The 16 × 16 transpose with the tile's rows in registers: storing and reloading the rows between
     * stages, as the loop above does, ran at a quarter of the speed (the reloads wait on the stores).
     */
    private static void transpose16(int[] t) {
        IntVector v0 = IntVector.fromArray(I, t, 0);
        IntVector v1 = IntVector.fromArray(I, t, 16);
        IntVector v2 = IntVector.fromArray(I, t, 32);
        IntVector v3 = IntVector.fromArray(I, t, 48);
        IntVector v4 = IntVector.fromArray(I, t, 64);
        IntVector v5 = IntVector.fromArray(I, t, 80);
        IntVector v6 = IntVector.fromArray(I, t, 96);
        IntVector v7 = IntVector.fromArray(I, t, 112);
        IntVector v8 = IntVector.fromArray(I, t, 128);
        IntVector v9 = IntVector.fromArray(I, t, 144);
        IntVector v10 = IntVector.fromArray(I, t, 160);
        IntVector v11 = IntVector.fromArray(I, t, 176);
        IntVector v12 = IntVector.fromArray(I, t, 192);
        IntVector v13 = IntVector.fromArray(I, t, 208);
        IntVector v14 = IntVector.fromArray(I, t, 224);
        IntVector v15 = IntVector.fromArray(I, t, 240);
        IntVector f, g, a;
        f = FIRST[0];
        g = SECOND[0];
        a = f.selectFrom(v0, v8);
        v8 = g.selectFrom(v0, v8);
        v0 = a;
        a = f.selectFrom(v1, v9);
        v9 = g.selectFrom(v1, v9);
        v1 = a;
        a = f.selectFrom(v2, v10);
        v10 = g.selectFrom(v2, v10);
        v2 = a;
        a = f.selectFrom(v3, v11);
        v11 = g.selectFrom(v3, v11);
        v3 = a;
        a = f.selectFrom(v4, v12);
        v12 = g.selectFrom(v4, v12);
        v4 = a;
        a = f.selectFrom(v5, v13);
        v13 = g.selectFrom(v5, v13);
        v5 = a;
        a = f.selectFrom(v6, v14);
        v14 = g.selectFrom(v6, v14);
        v6 = a;
        a = f.selectFrom(v7, v15);
        v15 = g.selectFrom(v7, v15);
        v7 = a;
        f = FIRST[1];
        g = SECOND[1];
        a = f.selectFrom(v0, v4);
        v4 = g.selectFrom(v0, v4);
        v0 = a;
        a = f.selectFrom(v1, v5);
        v5 = g.selectFrom(v1, v5);
        v1 = a;
        a = f.selectFrom(v2, v6);
        v6 = g.selectFrom(v2, v6);
        v2 = a;
        a = f.selectFrom(v3, v7);
        v7 = g.selectFrom(v3, v7);
        v3 = a;
        a = f.selectFrom(v8, v12);
        v12 = g.selectFrom(v8, v12);
        v8 = a;
        a = f.selectFrom(v9, v13);
        v13 = g.selectFrom(v9, v13);
        v9 = a;
        a = f.selectFrom(v10, v14);
        v14 = g.selectFrom(v10, v14);
        v10 = a;
        a = f.selectFrom(v11, v15);
        v15 = g.selectFrom(v11, v15);
        v11 = a;
        f = FIRST[2];
        g = SECOND[2];
        a = f.selectFrom(v0, v2);
        v2 = g.selectFrom(v0, v2);
        v0 = a;
        a = f.selectFrom(v1, v3);
        v3 = g.selectFrom(v1, v3);
        v1 = a;
        a = f.selectFrom(v4, v6);
        v6 = g.selectFrom(v4, v6);
        v4 = a;
        a = f.selectFrom(v5, v7);
        v7 = g.selectFrom(v5, v7);
        v5 = a;
        a = f.selectFrom(v8, v10);
        v10 = g.selectFrom(v8, v10);
        v8 = a;
        a = f.selectFrom(v9, v11);
        v11 = g.selectFrom(v9, v11);
        v9 = a;
        a = f.selectFrom(v12, v14);
        v14 = g.selectFrom(v12, v14);
        v12 = a;
        a = f.selectFrom(v13, v15);
        v15 = g.selectFrom(v13, v15);
        v13 = a;
        f = FIRST[3];
        g = SECOND[3];
        a = f.selectFrom(v0, v1);
        v1 = g.selectFrom(v0, v1);
        v0 = a;
        a = f.selectFrom(v2, v3);
        v3 = g.selectFrom(v2, v3);
        v2 = a;
        a = f.selectFrom(v4, v5);
        v5 = g.selectFrom(v4, v5);
        v4 = a;
        a = f.selectFrom(v6, v7);
        v7 = g.selectFrom(v6, v7);
        v6 = a;
        a = f.selectFrom(v8, v9);
        v9 = g.selectFrom(v8, v9);
        v8 = a;
        a = f.selectFrom(v10, v11);
        v11 = g.selectFrom(v10, v11);
        v10 = a;
        a = f.selectFrom(v12, v13);
        v13 = g.selectFrom(v12, v13);
        v12 = a;
        a = f.selectFrom(v14, v15);
        v15 = g.selectFrom(v14, v15);
        v14 = a;
        v0.intoArray(t, 0);
        v1.intoArray(t, 16);
        v2.intoArray(t, 32);
        v3.intoArray(t, 48);
        v4.intoArray(t, 64);
        v5.intoArray(t, 80);
        v6.intoArray(t, 96);
        v7.intoArray(t, 112);
        v8.intoArray(t, 128);
        v9.intoArray(t, 144);
        v10.intoArray(t, 160);
        v11.intoArray(t, 176);
        v12.intoArray(t, 192);
        v13.intoArray(t, 208);
        v14.intoArray(t, 224);
        v15.intoArray(t, 240);
    }
}
