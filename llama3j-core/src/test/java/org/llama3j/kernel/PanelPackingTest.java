package org.llama3j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * {@link QuantPanelPacking} (vector widening and an in-register transpose) against the scalar
 * {@link PanelPacking#packScalar}, bit for bit, on full and ragged panels (1 to 32 rows, the rest
 * zero), and both against the dequantized weights.
 */
class PanelPackingTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0"})
    void vectorPackingEqualsScalarPacking(DType type) {
        int width = PackedGemm.PANEL;
        assertTrue(QuantPanelPacking.supports(type, width) || !Int8Dot.AVAILABLE, "vector packing expected with 512-bit vectors");
        Random rnd = new Random(17 + type.ordinal());
        for (int n : new int[] {32, 96, 512}) {
            int rows = 45;
            float[] wf = new float[n * rows];
            for (int i = 0; i < wf.length; i++) {
                wf[i] = (float) rnd.nextGaussian();
            }
            Tensor w = MatMulKernelTest.quantizedTensor(type, wf, n, rows);
            float[] deq = BlockCodecs.dequantize(w);
            // full and ragged panels of the machine's width (32 with 512-bit vectors, 16 with AVX2)
            for (int[] range : new int[][] {{0, width}, {width, Math.min(13, width)}, {7, 1}, {40, 5}}) {
                int r0 = range[0], count = range[1];
                float[] scalar = new float[width * n];
                float[] vector = new float[width * n];
                java.util.Arrays.fill(vector, Float.NaN); // the packer must zero the unused columns itself
                PanelPacking.packScalar(w, r0, count, width, scalar, new float[n]);
                PanelPacking.pack(w, r0, count, width, vector, new float[n]);
                assertArrayEquals(scalar, vector, type + " n=" + n + " rows " + r0 + "+" + count);
                for (int k = 0; k < n; k++) {
                    for (int i = 0; i < width; i++) {
                        float want = i < count ? deq[(r0 + i) * n + k] : 0f;
                        assertEquals(want, vector[k * width + i], type + " k=" + k + " column " + i);
                    }
                }
            }
        }
    }

    @Test
    void transposeOfAnIndexTileSwapsRowsAndColumns() {
        int l = Int8Dot.F.length();
        int[] tile = new int[l * l];
        for (int i = 0; i < tile.length; i++) {
            tile[i] = i;
        }
        QuantPanelPacking.transpose(tile);
        for (int r = 0; r < l; r++) {
            for (int c = 0; c < l; c++) {
                assertEquals(c * l + r, tile[r * l + c], "element (" + r + ", " + c + ")");
            }
        }
    }
}
