package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * The native K-quant kernels ({@link Q4_KMatMul}, {@link Q5_KMatMul}, {@link Q6_KMatMul}) on tensors quantized by
 * llama.cpp's own {@code llama-quantize} (test resources, 32 rows of 256): the vectorised rows
 * equal the integer scalar reference, and both equal the dequantized weights times the Q8_K
 * activations; plus {@code quantize_row_q8_K}'s rounding worked by hand.
 */
class KQuantMatMulTest {

    @ParameterizedTest
    @CsvSource({"Q4_K, Q4_K_M.token_embd.weight.Q4_K.bin", "Q5_K, Q5_K_M.token_embd.weight.Q5_K.bin",
            "Q6_K, Q6_K.token_embd.weight.Q6_K.bin"})
    void vectorRowsEqualScalarAndDequantizedReference(DType type, String file) throws IOException {
        int n = 256, rows = 32;
        Tensor w = resourceTensor(type, file, n, rows);
        KQuantMatMul k = (KQuantMatMul) MatMuls.of(type);
        Random rnd = new Random(3);
        for (int trial = 0; trial < 3; trial++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) rnd.nextGaussian() * (trial + 1);
            }
            Activations act = new Activations().set(x, 1, n);
            Q8KActivations q = act.q8K();
            float[] deq = BlockCodecs.dequantize(w);
            for (int r = 0; r < rows; r++) {
                float scalar = k.scalarRow(w.data(), r * w.rowBytes(), 1, q, 0);
                float vector = k.vectorRow(w.data(), r * w.rowBytes(), 1, q, 0);
                double ref = 0, mag = 0;
                for (int i = 0; i < n; i++) {
                    ref += (double) deq[r * n + i] * q.dequantized[i];
                    mag += Math.abs((double) deq[r * n + i] * q.dequantized[i]);
                }
                assertEquals(scalar, vector, 2e-6 * mag, type + " row " + r + ": vector vs integer scalar");
                assertEquals(ref, scalar, 2e-6 * mag, type + " row " + r + ": scalar vs dequantized reference");
            }
        }
    }

    @Test
    void q8KQuantizationFollowsGgml() {
        float[] x = new float[256];
        x[0] = 2.5f;
        x[1] = -5f;      // the element of largest magnitude, negative: iscale = -127 / -5 = 25.4
        x[2] = 1.25f;    // 31.75 -> 32
        x[3] = 0.1f;     // 2.54 -> 3
        x[4] = 0.0984252f; // 2.4999... -> 2
        x[17] = 4.99f;   // 126.746 -> 127
        Q8KActivations q = new Activations().set(x, 1, 256).q8K();
        assertEquals(64, q.quants[0]);    // 63.5 rounds half to even -> 64
        assertEquals(-127, q.quants[1]);
        assertEquals(32, q.quants[2]);
        assertEquals(3, q.quants[3]);
        assertEquals(2, q.quants[4]);
        assertEquals(127, q.quants[17]);
        assertEquals(1f / 25.4f, q.scales[0]);
        assertEquals(64 - 127 + 32 + 3 + 2, q.bsums[0]);
        assertEquals(127, q.bsums[1]);
        // a block of zeros has scale 0 and zero quants
        Q8KActivations z = new Activations().set(new float[512], 2, 256).q8K();
        assertEquals(0f, z.scales[1]);
        assertArrayEquals(new int[16], java.util.Arrays.copyOfRange(z.bsums, 16, 32));
    }

    static Tensor resourceTensor(DType type, String file, int n, int rows) throws IOException {
        byte[] bytes;
        try (InputStream in = KQuantMatMulTest.class.getResourceAsStream("/llama-quantize/" + file)) {
            bytes = in.readAllBytes();
        }
        assertEquals(type.bytesFor((long) n * rows), bytes.length, file + " size");
        MemorySegment seg = Arena.ofAuto().allocate(bytes.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
        return new Tensor(file, type, new long[] {n, rows}, seg);
    }

    /** The word-at-a-time unpacking equals ggml's {@code get_scale_min_k4}, byte by byte, on random scale bytes. */
    @Test
    void scalesAndMinsUnpackLikeGetScaleMinK4() {
        Random rnd = new Random(3);
        MemorySegment seg = Arena.ofAuto().allocate(Q4_KMatMul.BLOCK_BYTES);
        int[] sm = new int[16];
        for (int round = 0; round < 2000; round++) {
            int[] q = new int[12];
            for (int i = 0; i < 12; i++) {
                q[i] = rnd.nextInt(256);
                seg.set(ValueLayout.JAVA_BYTE, 4 + i, (byte) q[i]);
            }
            Q4_KMatMul.scalesAndMins(seg, 0, sm);
            for (int j = 0; j < 8; j++) {
                int scale = j < 4 ? q[j] & 63 : (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4);
                int min = j < 4 ? q[j + 4] & 63 : (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
                assertEquals(scale, sm[j], "scale " + j + " round " + round);
                assertEquals(min, sm[8 + j], "min " + j + " round " + round);
            }
        }
    }
}
