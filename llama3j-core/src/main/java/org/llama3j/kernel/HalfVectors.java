package org.llama3j.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised IEEE half → float conversion by integer bit manipulation (the Vector API has no
 * half-precision lane type): shift exponent and mantissa into float position and multiply by
 * 2¹¹² to re-bias the exponent (15 → 127), which also normalises subnormals exactly; infinities
 * and NaNs get the all-ones float exponent.
 */
final class HalfVectors {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(L * 16));
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(F.vectorShape());
    private static final float REBIAS = 0x1p112f;

    private HalfVectors() {
    }

    /** {@code L} little-endian halves at {@code off} as floats. */
    static FloatVector load(MemorySegment seg, long off) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, seg, off, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, I, 0);
        IntVector em = h.and(0x7fff);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        FloatVector mag = em.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(REBIAS);
        VectorMask<Integer> special = em.compare(VectorOperators.GE, 0x7c00);
        IntVector bits = mag.reinterpretAsInts()
                .blend(em.lanewise(VectorOperators.LSHL, 13).or(0x7f800000), special)
                .or(sign);
        return bits.reinterpretAsFloats();
    }
}
