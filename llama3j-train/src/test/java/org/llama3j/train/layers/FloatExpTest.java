package org.llama3j.train.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class FloatExpTest {

    @Test
    void withinTwoUlpOfMathExpOverTheNormalRange() {
        SplittableRandom r = new SplittableRandom(21);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (FloatExp.MIN_ARG + r.nextDouble() * (FloatExp.MAX_ARG - FloatExp.MIN_ARG));
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(FloatExp.exp(x) - exact) / Math.ulp((float) exact));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void edgeValues() {
        assertEquals(1f, FloatExp.exp(0f));
        assertEquals(0f, FloatExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FloatExp.exp(-100f));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(FloatExp.exp(Float.NaN)));
        assertEquals((float) Math.E, FloatExp.exp(1f), Math.ulp((float) Math.E));
    }

    @Test
    void vectorLanesEqualTheScalarBitForBitInterpretedAndCompiled() {
        // enough calls for C2 to compile both forms; every lane must keep the scalar's bits
        var species = FloatVector.SPECIES_PREFERRED;
        SplittableRandom r = new SplittableRandom(22);
        float[] x = new float[species.length() * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 200 - 100);
        }
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = Float.NaN;
        x[2] = 0f;
        float[] got = new float[x.length];
        for (int it = 0; it < 20_000; it++) {
            for (int i = 0; i < x.length; i += species.length()) {
                FloatExp.exp(FloatVector.fromArray(species, x, i)).intoArray(got, i);
            }
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(FloatExp.exp(x[i]))) {
                    throw new AssertionError("iteration " + it + ", x = " + x[i] + ": vector " + got[i]
                            + ", scalar " + FloatExp.exp(x[i]));
                }
            }
        }
    }
}
