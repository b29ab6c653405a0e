package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * The small-batch (rows outer, tokens inner) kernels on batches of 1 to 40 tokens, ragged row
 * counts (not a multiple of the 4-row groups) and ragged thread splits: every result against the
 * per-(row, token) reference, and equal, bit for bit, to the same token multiplied alone, so that a
 * sequence's output does not depend on the batch the server decodes it in.
 */
class SmallBatchKernelTest {
    private static final int[][] SHAPES = {{32, 1}, {96, 7}, {64, 13}, {288, 6}, {512, 9}};

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0"})
    void tilesEqualScalarReferenceAndSingleTokenResults(DType type) {
        Q8ActivationMatMul k = (Q8ActivationMatMul) MatMuls.of(type);
        Random rnd = new Random(5 + type.ordinal());
        for (int[] shape : SHAPES) {
            int n = shape[0], rows = shape[1], blocks = n / 32;
            Tensor w = weights(type, rnd, n, rows);
            float[] deq = org.llama3j.quant.BlockCodecs.dequantize(w);
            for (int tokens = 1; tokens <= 40; tokens++) {
                float[] x = gaussian(rnd, tokens * n, 3);
                Activations act = new Activations().set(x, tokens, n);
                float[] out = new float[tokens * rows];
                // two ranges, the first ending inside a row group: ragged splits as across workers
                int split = Math.min(rows, 5);
                k.multiplySmallBatch(w, act, out, rows, 0, split);
                k.multiplySmallBatch(w, act, out, rows, split, rows);
                for (int t = 0; t < tokens; t++) {
                    float[] alone = new float[rows];
                    Activations one = new Activations().set(Arrays.copyOfRange(x, t * n, (t + 1) * n), 1, n);
                    k.multiplySmallBatch(w, one, alone, rows, 0, rows);
                    for (int r = 0; r < rows; r++) {
                        String where = type + " n=" + n + " rows=" + rows + " tokens=" + tokens + " row " + r + " token " + t;
                        float scalar = k.scalarRow(w.data(), r * w.rowBytes(), blocks, act.q8Quants(), act.q8Scales(), t * blocks);
                        float got = out[t * rows + r];
                        assertEquals(scalar, got, 1e-5f * magnitude(deq, n, act, r, t) + 1e-6f, where + " vs integer scalar");
                        assertEquals(Float.floatToIntBits(alone[r]), Float.floatToIntBits(got), where + " vs the token alone");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q4_K", "Q6_K"})
    void rowsOuterBatchesEqualSingleTokenResults(DType type) {
        Random rnd = new Random(9 + type.ordinal());
        int n = type.blockSize() == 256 ? 512 : 96 + 5, rows = 11;
        Tensor w = weights(type, rnd, n, rows);
        for (int tokens = 1; tokens < PackedGemm.MIN_TOKENS; tokens++) {
            assertBatchEqualsTokensAlone(w, gaussian(rnd, tokens * n, 2), tokens, type + " tokens=" + tokens);
        }
    }

    /** {@code MatMuls.multiply} of {@code tokens} vectors at once equals, bit for bit, each vector multiplied alone. */
    static void assertBatchEqualsTokensAlone(Tensor w, float[] x, int tokens, String where) {
        int n = w.rowLength(), rows = w.rows();
        float[] out = new float[tokens * rows];
        MatMuls.multiply(w, new Activations().set(x, tokens, n), out);
        for (int t = 0; t < tokens; t++) {
            float[] alone = new float[rows];
            MatMuls.multiply(w, new Activations().set(Arrays.copyOfRange(x, t * n, (t + 1) * n), 1, n), alone);
            for (int r = 0; r < rows; r++) {
                assertEquals(Float.floatToIntBits(alone[r]), Float.floatToIntBits(out[t * rows + r]),
                        where + " row " + r + " token " + t);
            }
        }
    }

    /** Σ |w·x| over the row, in the Q8_0 activations: the scale of the rounding error. */
    private static float magnitude(float[] deq, int n, Activations act, int r, int t) {
        byte[] q = act.q8Quants();
        float[] d = act.q8Scales();
        double mag = 0;
        for (int i = 0; i < n; i++) {
            mag += Math.abs((double) deq[r * n + i] * q[t * n + i] * d[(t * n + i) / 32]);
        }
        return (float) mag;
    }

    static Tensor weights(DType type, Random rnd, int n, int rows) {
        return MatMulKernelTest.quantizedTensor(type, gaussian(rnd, n * rows, 1), n, rows);
    }

    static float[] gaussian(Random rnd, int size, double sigma) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (rnd.nextGaussian() * sigma);
        }
        return a;
    }
}
