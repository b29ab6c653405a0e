package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * The interleaved Q4_0, Q8_0 and Q4_K copies and their 16-bit kernels ({@link InterleavedMatrix}):
 * results against a float64 evaluation of ggml's integer block sums (Q4_K: against the file layout's
 * scalar kernel, ggml's {@code ggml_vec_dot_q4_K_q8_K}), batches equal to their tokens alone bit for
 * bit, the GEMM panels equal to the file layout's, including row lengths that leave a partial group
 * of blocks and sums at the edge of the 16-bit range.
 */
class InterleavedMatrixTest {
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int[][] SHAPES = {{32, 5}, {96, 7}, {1024, 9}, {1056, 13}, {2048, 6}, {3072, 4}};
    /** K-quant rows are whole super-blocks of 256; 1280 leaves a partial group (40 sub-blocks). */
    private static final int[][] K_SHAPES = {{256, 5}, {768, 7}, {1024, 9}, {1280, 13}, {2048, 6}, {3072, 4}};

    private static int[][] shapes(DType type) {
        return type.blockSize() == 256 ? K_SHAPES : SHAPES;
    }

    @BeforeEach
    void needsInterleaving() {
        assumeTrue(InterleavedMatrix.AVAILABLE, "needs 512-bit vectors");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q5_K", "Q6_K"})
    void oneTokenMatchesIntegerBlockSums(DType type) {
        Random rnd = new Random(11);
        for (int[] shape : shapes(type)) {
            int n = shape[0], rows = shape[1];
            Tensor w = SmallBatchKernelTest.weights(type, rnd, n, rows);
            MatMuls.prepare(w);
            assertNotNull(InterleavedMatrix.of(w), "copy made for n=" + n);
            float[] x = SmallBatchKernelTest.gaussian(rnd, n, 2);
            Activations act = new Activations().set(x, 1, n);
            float[] out = new float[rows];
            MatMuls.multiply(w, act, out);
            for (int r = 0; r < rows; r++) {
                double[] ref = reference(w, act, r, 0);
                assertEquals(ref[0], out[r], 2e-6 * ref[1] + 1e-6, type + " n=" + n + " row " + r);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q5_K", "Q6_K"})
    void batchesEqualTheirTokensAlone(DType type) {
        Random rnd = new Random(12);
        for (int[] shape : shapes(type)) {
            int n = shape[0], rows = shape[1];
            Tensor w = SmallBatchKernelTest.weights(type, rnd, n, rows);
            MatMuls.prepare(w);
            for (int tokens = 2; tokens < 12; tokens++) {
                SmallBatchKernelTest.assertBatchEqualsTokensAlone(w, SmallBatchKernelTest.gaussian(rnd, tokens * n, 3), tokens,
                        type + " n=" + n + " tokens=" + tokens);
            }
        }
    }

    /**
     * Q4_0: nibbles all 0 (weight −8) or all 15 (weight 7) against activations of ±127, so the 16-bit
     * lane sums of {@code nibble · x} wrap (up to 15 · 127 · 32 = 60960) and only the bias subtraction
     * makes them exact again; the block sums reach ±32512, the edge of the range. Q8_0: weights all
     * −128 or 127, so the 16-bit pair sums reach 2 · 128 · 127 = 32512.
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q5_K", "Q6_K"})
    void extremeBlockSumsAreExact(DType type) {
        if (type.blockSize() == 256) {
            extremeKQuantSums(type);
            return;
        }
        int n = 1024 + 64, rows = 4, bb = type.blockBytes();
        MemorySegment seg = Arena.ofAuto().allocate((long) rows * n / 32 * bb);
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < n / 32; b++) {
                long off = (long) (r * n / 32 + b) * bb;
                seg.set(LE_SHORT, off, Float.floatToFloat16(0.5f + b % 3));
                byte low = (byte) (type == DType.Q4_0 ? 0x00 : 0x80), high = (byte) (type == DType.Q4_0 ? 0xff : 0x7f);
                for (int j = 0; j < bb - 2; j++) {
                    seg.set(ValueLayout.JAVA_BYTE, off + 2 + j, (r & 1) == 0 ? low : high);
                }
            }
        }
        assertExactOnSignFlips(new Tensor("extreme", type, new long[] {n, rows}, seg), 32);
    }

    /**
     * Q4_0 prefill batches ({@link NibblePairGemm}, 16-bit lane pairs): every (token, row) against the float64
     * integer block sums, for several panels of rows with a partial last one, token counts that leave 0, 1
     * and 5 tokens of a last tile, partial groups of blocks; and at the edge of the 16-bit range (every
     * nibble 0, weight −8, against activations of ±127: each lane sums 16 × −8 × ±127 and a pair 32,512).
     */
    @Test
    void q4_0PrefillBatchesMatchIntegerBlockSums() {
        assertRandomPrefills(DType.Q4_0, 21, new int[][] {{32, 70}, {1056, 37}, {2048, 33}}, 12, 13, 17);
        int n = 1024 + 64, rows = 40, bb = DType.Q4_0.blockBytes();
        MemorySegment seg = Arena.ofAuto().allocate((long) rows * n / 32 * bb);
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < n / 32; b++) {
                long off = (long) (r * n / 32 + b) * bb;
                seg.set(LE_SHORT, off, Float.floatToFloat16(0.5f + b % 3));
                for (int j = 0; j < bb - 2; j++) {
                    seg.set(ValueLayout.JAVA_BYTE, off + 2 + j, (byte) (r % 3 == 0 ? 0x00 : r % 3 == 1 ? 0xff : 0x0f));
                }
            }
        }
        Tensor extreme = new Tensor("extreme", DType.Q4_0, new long[] {n, rows}, seg);
        MatMuls.prepare(extreme);
        int tokens = 14;
        float[] x = new float[tokens * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i % n) / 32 + i / n) % 2 == 0 ? 1f : -1f;
        }
        assertPrefillMatchesReference(extreme, x, tokens, "extreme");
    }

    /**
     * Q4_K prefill batches on the same 16-bit pairs, with the minimums added per sub-block
     * ({@code (8·A − M)·d·Σx}): every (token, row) against the file layout's integer kernel.
     */
    @Test
    void q4_KPrefillBatchesMatchTheIntegerKernel() {
        assertRandomPrefills(DType.Q4_K, 22, new int[][] {{256, 70}, {1280, 37}, {2048, 33}}, 12, 17);
    }

    /** Random matrices of each {@code {n, rows}} shape, on their copies, times random batches of each size. */
    private static void assertRandomPrefills(DType type, long seed, int[][] shapes, int... tokenCounts) {
        Random rnd = new Random(seed);
        for (int[] shape : shapes) {
            int n = shape[0], rows = shape[1];
            Tensor w = SmallBatchKernelTest.weights(type, rnd, n, rows);
            MatMuls.prepare(w);
            assertNotNull(InterleavedMatrix.of(w));
            for (int tokens : tokenCounts) {
                float[] x = SmallBatchKernelTest.gaussian(rnd, tokens * n, 3);
                assertPrefillMatchesReference(w, x, tokens, type + " n=" + n + " tokens=" + tokens);
            }
        }
    }

    private static void assertPrefillMatchesReference(Tensor w, float[] x, int tokens, String what) {
        int n = w.rowLength(), rows = w.rows();
        Activations act = new Activations().set(x, tokens, n);
        float[] out = new float[tokens * rows];
        MatMuls.multiply(w, act, out);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double[] ref = reference(w, act, r, t);
                assertEquals(ref[0], out[t * rows + r], 2e-6 * ref[1] + 1e-6, what + " token " + t + " row " + r);
            }
        }
    }

    /**
     * The copy's one-token results for activations of ±1 that change sign every {@code period}
     * elements (so every block's largest magnitude quantizes to ±127), against {@link #reference}.
     */
    private static void assertExactOnSignFlips(Tensor w, int period) {
        int n = w.rowLength(), rows = w.rows();
        MatMuls.prepare(w);
        assertNotNull(InterleavedMatrix.of(w));
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i / period) % 2 == 0 ? 1f : -1f;
        }
        Activations act = new Activations().set(x, 1, n);
        float[] out = new float[rows];
        MatMuls.multiply(w, act, out);
        for (int r = 0; r < rows; r++) {
            double[] ref = reference(w, act, r, 0);
            assertEquals(ref[0], out[r], 1e-6 * ref[1], w.type() + " row " + r);
        }
    }

    /**
     * As {@link #extremeBlockSumsAreExact} for the K-quants, against activations of ±127 that change sign
     * once per scale block: Q4_K with every nibble 0 or 15; Q5_K with every 5-bit value 0 or 31; Q6_K with
     * every 6-bit value 0 (weight −32) or 63 (weight 31) and its int8 scales at 127 and −128.
     */
    private static void extremeKQuantSums(DType type) {
        int n = 1024 + 256, rows = 4, bb = type.blockBytes();
        boolean q6 = type == DType.Q6_K;
        Tensor w = SmallBatchKernelTest.weights(type, new Random(15), n, rows);
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < n / 256; b++) {
                long off = (long) (r * n / 256 + b) * bb;
                // the quant bytes: Q6_K's ql and qh, Q4_K's and Q5_K's after d, dmin and the 12 scale bytes
                for (int j = q6 ? 0 : 16; j < (q6 ? 192 : bb); j++) {
                    w.data().set(ValueLayout.JAVA_BYTE, off + j, (byte) ((r & 1) == 0 ? 0x00 : 0xff));
                }
                for (int j = 192; q6 && j < 208; j++) {
                    w.data().set(ValueLayout.JAVA_BYTE, off + j, (byte) (j % 2 == 0 ? 127 : -128));
                }
            }
        }
        assertExactOnSignFlips(w, q6 ? 16 : 32);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q5_K", "Q6_K"})
    void panelsEqualTheOriginalLayoutsPanels(DType type) {
        Random rnd = new Random(13);
        int[][] shapes = type.blockSize() == 256 ? new int[][] {{768, 45}, {1280, 33}, {2048, 32}} : new int[][] {{96, 45}, {1056, 33}, {2048, 32}};
        for (int[] shape : shapes) {
            int n = shape[0], rows = shape[1];
            Tensor w = SmallBatchKernelTest.weights(type, rnd, n, rows);
            float[] original = new float[n * 32], copy = new float[n * 32], buf = new float[n];
            MatMuls.prepare(w);
            for (int r0 = 0; r0 < rows; r0 += 32) {
                int m = Math.min(32, rows - r0);
                Arrays.fill(original, Float.NaN);
                Arrays.fill(copy, Float.NaN);
                PanelPacking.packScalar(w, r0, m, 32, original, buf);
                PanelPacking.pack(w, r0, m, 32, copy, buf);
                for (int k = 0; k < n; k++) {
                    for (int i = 0; i < 32; i++) {
                        assertEquals(Float.floatToIntBits(original[k * 32 + i]), Float.floatToIntBits(copy[k * 32 + i]),
                                type + " n=" + n + " panel at row " + r0 + " k=" + k + " column " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q5_K", "Q6_K"})
    void infiniteScaleKeepsTheOriginalLayout(DType type) {
        Random rnd = new Random(14);
        int n = type.blockSize() == 256 ? 512 : 64;
        Tensor w = SmallBatchKernelTest.weights(type, rnd, n, 3);
        // +Inf scale in row 1's second block (Q6_K keeps d at the end of its block)
        w.data().set(LE_SHORT, type.blockBytes() * 3L + (type == DType.Q6_K ? 208 : 0), (short) 0x7c00);
        MatMuls.prepare(w);
        assertNull(InterleavedMatrix.of(w));
    }

    /** {@code [Σ_b isum_b · d_w · d_x, Σ_b |isum_b · d_w · d_x|]} in float64 from the file layout's blocks. */
    private static double[] reference(Tensor w, Activations act, int r, int t) {
        if (w.type().blockSize() == 256) {
            return referenceK(w, act, r, t);
        }
        int n = w.rowLength(), blocks = n / 32, bb = w.type().blockBytes();
        byte[] q = act.q8Quants();
        float[] d = act.q8Scales();
        double sum = 0, mag = 0;
        for (int b = 0; b < blocks; b++) {
            long off = r * w.rowBytes() + (long) bb * b;
            double dw = Float.float16ToFloat(w.data().get(LE_SHORT, off));
            int isum = 0;
            for (int j = 0; j < 32; j++) {
                int x = q[t * n + b * 32 + j];
                if (w.type() == DType.Q8_0) {
                    isum += w.data().get(ValueLayout.JAVA_BYTE, off + 2 + j) * x;
                } else {
                    int v = w.data().get(ValueLayout.JAVA_BYTE, off + 2 + (j & 15)) & 0xff;
                    isum += ((j < 16 ? v & 15 : v >>> 4) - 8) * x;
                }
            }
            double term = isum * dw * d[t * blocks + b];
            sum += term;
            mag += Math.abs(term);
        }
        return new double[] {sum, mag};
    }

    /**
     * K-quants: the file layout's scalar kernel (ggml's integer sums over Q8_K activations), and as
     * the magnitude {@code Σ |w|·|x|} of the dequantized weights and activations.
     */
    private static double[] referenceK(Tensor w, Activations act, int r, int t) {
        int n = w.rowLength(), superBlocks = n / 256;
        Q8KActivations q = act.q8K();
        KQuantMatMul kernel = switch (w.type()) {
            case Q4_K -> new Q4_KMatMul();
            case Q5_K -> new Q5_KMatMul();
            default -> new Q6_KMatMul();
        };
        float ref = kernel.scalarRow(w.data(), r * w.rowBytes(), superBlocks, q, t * superBlocks);
        float[] row = new float[n];
        org.llama3j.quant.BlockCodecs.dequantizeRow(w, r, row);
        double mag = 0;
        for (int k = 0; k < n; k++) {
            mag += Math.abs(row[k]) * Math.abs(act.floats()[t * n + k]);
        }
        return new double[] {ref, mag};
    }
}
