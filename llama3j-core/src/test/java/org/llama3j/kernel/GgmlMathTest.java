package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * ggml's vector exponential and the softmax built on it. The exact bits come from {@code ggml_v_expf} of
 * llama.cpp's {@code ggml-cpu/vec.h} (the version {@code scripts/oracle/setup-llama-cpp.sh} builds), compiled
 * with {@code gcc -O2 -mavx512f -mavx512dq -mfma} and run on these inputs; most differ from the correctly
 * rounded exponential, so only ggml's own operation order gives them.
 */
class GgmlMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Input bits, ggml_v_expf output bits. */
    private static final int[][] GGML = {
            {0xc19feb86, 0x310f108e}, {0xc19eb74d, 0x31264cec}, {0xc19e3d72, 0x31307ee0},
            {0xbe04b672, 0x3f60e1c1}, {0xbdcbc7d3, 0x3f67c0f3}, {0xbd8e22c2, 0x3f6ed5e6},
            {0xc2aa0f42, 0x0220aab8}, {0xc28c0f1a, 0x0cfa85ad}, {0xc25c1e9f, 0x17c32d09},
            {0xc2201e50, 0x22982a35}, {0xc1c83d72, 0x2d6d1914}, {0xc12079a8, 0x3838d93a},
            {0x409f0f23, 0x43101ced}, {0x419fc2f7, 0x4de08d49},
            // -inf, +inf, ±0, near overflow, overflow, subnormal result, below range
            {0xff800000, 0x00000000}, {0x7f800000, 0x7f800000}, {0x00000000, 0x3f800000},
            {0x80000000, 0x3f800000}, {0x42b16666, 0x7f7a37fc}, {0x42b20000, 0x7f800000},
            {0xc2af0000, 0x006cb2bc}, {0xc2d00000, 0x00000000},
    };

    @Test
    void expIsGgmlBitForBit() {
        int n = (GGML.length + S.length() - 1) / S.length() * S.length();
        float[] in = new float[n];
        float[] out = new float[n];
        for (int i = 0; i < GGML.length; i++) {
            in[i] = Float.intBitsToFloat(GGML[i][0]);
        }
        for (int i = 0; i < n; i += S.length()) {
            GgmlMath.exp(FloatVector.fromArray(S, in, i)).intoArray(out, i);
        }
        for (int i = 0; i < GGML.length; i++) {
            assertEquals(Integer.toHexString(GGML[i][1]), Integer.toHexString(Float.floatToRawIntBits(out[i])),
                    "exp(" + in[i] + ")");
        }
    }

    @Test
    void expIsWithinTwoUlpsOfTheExactValueOverSoftmaxRange() {
        Random rnd = new Random(7);
        float[] in = new float[4096];
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = -80f + 90f * rnd.nextFloat();
        }
        for (int i = 0; i < in.length; i += S.length()) {
            GgmlMath.exp(FloatVector.fromArray(S, in, i)).intoArray(out, i);
        }
        for (int i = 0; i < in.length; i++) {
            float exact = (float) Math.exp(in[i]);
            assertTrue(Math.abs(out[i] - exact) <= 2 * Math.ulp(exact), "exp(" + in[i] + ") = " + out[i] + ", exact " + exact);
        }
    }

    @Test
    void softmaxMatchesDoubleReferenceAndLeavesTheRestAlone() {
        Random rnd = new Random(11);
        for (int len : new int[] {1, 7, 15, 16, 17, 33, 100}) {
            float[] s = new float[len + 40];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (4 * rnd.nextGaussian());
            }
            float[] before = s.clone();
            int o = 3;
            GgmlMath.softmax(s, o, len);
            double max = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < len; p++) {
                max = Math.max(max, before[o + p]);
            }
            double sum = 0;
            for (int p = 0; p < len; p++) {
                sum += Math.exp(before[o + p] - max);
            }
            for (int p = 0; p < len; p++) {
                assertEquals(Math.exp(before[o + p] - max) / sum, s[o + p], 1e-6, "len " + len + " position " + p);
            }
            for (int i = 0; i < s.length; i++) {
                if (i < o || i >= o + len) {
                    assertEquals(before[i], s[i], "len " + len + ": element " + i + " outside the row changed");
                }
            }
        }
    }

    /** {@code _mm512_reduce_add_ps}'s tree, bit for bit, whatever this machine's lane count. */
    @Test
    void sum16IsTheReduceAddTree() {
        Random rnd = new Random(17);
        for (int round = 0; round < 200; round++) {
            float[] a = new float[19];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 4));
            }
            float[] t = new float[16];
            for (int l = 0; l < 8; l++) {
                t[l] = a[3 + l] + a[3 + l + 8];
            }
            for (int h = 4; h >= 1; h >>= 1) {
                for (int l = 0; l < h; l++) {
                    t[l] = t[l] + t[l + h];
                }
            }
            assertEquals(Float.floatToRawIntBits(t[0]), Float.floatToRawIntBits(GgmlMath.sum16(a, 3)), "round " + round);
        }
    }

    @Test
    void swiGluRowsAreTheScalarFormula() {
        Random rnd = new Random(13);
        int n = 40;
        float[] gate = new float[5 * n];
        float[] up = new float[5 * n];
        for (int i = 0; i < gate.length; i++) {
            gate[i] = (float) (3 * rnd.nextGaussian());
            up[i] = (float) rnd.nextGaussian();
        }
        float[] before = gate.clone();
        GgmlMath.swiGlu(gate, up, n, 1, 4);
        for (int i = 0; i < gate.length; i++) {
            float want = i < n || i >= 4 * n ? before[i] : before[i] / (1f + (float) Math.exp(-before[i])) * up[i];
            assertEquals(want, gate[i], 0f, "element " + i);
        }
    }
}
