package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Grouped-query attention against a double-precision softmax-weighted sum, computed per query head. */
class AttentionTest {

    @Test
    void groupMatchesPerHeadReference() {
        Random rnd = new Random(5);
        for (int[] shape : new int[][] {{64, 4, 1}, {64, 4, 37}, {48, 1, 300}, {16, 2, 5}, {128, 3, 33}, {6, 2, 17}, {64, 8, 16}}) {
            int hd = shape[0], group = shape[1], len = shape[2];
            int kvHeads = 3, kvStride = kvHeads * hd, kvHead = 1;
            float[] q = gaussian(rnd, group * hd);
            float[] keys = gaussian(rnd, len * kvStride);
            // the kernel reads keys and values in blocks; stale values past len must not matter
            float[] blocked = gaussian(rnd, (len + Attention.KEY_BLOCK - 1) / Attention.KEY_BLOCK * Attention.KEY_BLOCK * kvStride);
            for (int p = 0; p < len; p++) {
                for (int e = 0; e < kvStride; e++) {
                    blocked[Attention.keyIndex(p, kvStride, e)] = keys[p * kvStride + e];
                }
            }
            float[] values = gaussian(rnd, len * kvStride);
            float scale = (float) (1 / Math.sqrt(hd));
            float[] out = new float[group * hd + 3];
            float[] blockedValues = gaussian(rnd, blocked.length);
            for (int p = 0; p < len; p++) {
                for (int h = 0; h < kvHeads; h++) {
                    System.arraycopy(values, p * kvStride + h * hd, blockedValues, Attention.valueIndex(p, kvStride, hd, h), hd);
                }
            }
            Attention.groupAttend(q, 0, group, hd, blocked, blockedValues, kvStride, kvHead * hd, len, scale, out, 3);
            for (int g = 0; g < group; g++) {
                double[] s = new double[len];
                double max = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < len; p++) {
                    for (int i = 0; i < hd; i++) {
                        s[p] += (double) q[g * hd + i] * keys[p * kvStride + kvHead * hd + i];
                    }
                    s[p] *= scale;
                    max = Math.max(max, s[p]);
                }
                double sum = 0;
                for (int p = 0; p < len; p++) {
                    s[p] = Math.exp(s[p] - max);
                    sum += s[p];
                }
                for (int i = 0; i < hd; i++) {
                    double ref = 0;
                    for (int p = 0; p < len; p++) {
                        ref += s[p] / sum * values[p * kvStride + kvHead * hd + i];
                    }
                    assertEquals(ref, out[3 + g * hd + i], 1e-5, "hd=" + hd + " len=" + len + " head " + g + " dim " + i);
                }
            }
        }
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
