package org.llama3j.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Shapes for 8-bit integer dot products on 16-lane vectors: 16 int8 are widened to 16 int16,
 * multiplied (|127·127| fits in int16), and widened to 16 int32 partial sums. Needs 512-bit
 * vectors (AVX-512); elsewhere the kernels use their scalar path.
 */
final class Int8Dot {
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final boolean AVAILABLE = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            && !Boolean.getBoolean("llama3j.scalarKernels");

    private Int8Dot() {
    }

    /** Lane-wise products of two 16-lane int8 vectors, as 16 int32. */
    static IntVector dot16(ByteVector a, ByteVector b) {
        ShortVector p = ((ShortVector) a.convertShape(VectorOperators.B2S, S, 0))
                .mul((ShortVector) b.convertShape(VectorOperators.B2S, S, 0));
        return (IntVector) p.convertShape(VectorOperators.S2I, I, 0);
    }
}
