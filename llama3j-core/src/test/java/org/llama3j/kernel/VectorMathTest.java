package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void sums4EqualsFourSumsBitForBit() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            // magnitudes spread over 2^±20 so that any change of the addition order changes the rounding
            float[] acc = new float[4 * L];
            for (int i = 0; i < acc.length; i++) {
                acc[i] = (float) ((rnd.nextDouble() - 0.5) * Math.scalb(1.0, rnd.nextInt(-20, 21)));
            }
            float[] out = new float[7];
            VectorMath.sums4(acc, 0, out, 5, 0, 3, 6);
            int[] at = {5, 0, 3, 6};
            for (int k = 0; k < 4; k++) {
                float expected = VectorMath.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, acc, k * L));
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[at[k]]), "vector " + k);
            }
        }
    }

    @Test
    void sumOfKnownLanes() {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) {
            v[i] = i + 1;
        }
        assertEquals(L * (L + 1) / 2f, VectorMath.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, v, 0)));
    }
}
