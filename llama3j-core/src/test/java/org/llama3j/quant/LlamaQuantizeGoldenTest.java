package org.llama3j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.llama3j.tensor.DType;

/**
 * Against tensors quantized by llama.cpp's native {@code llama-quantize}
 * (scripts/oracle/llama_quantize_golden.py): inputs come from a 64-bit LCG both sides compute
 * exactly. Our Q8_0/Q4_0 quantizers must reproduce ggml's bytes; every codec must decode ggml's
 * blocks to within the type's usual error of the inputs (a wrong layout decodes to noise, ~1.4).
 */
class LlamaQuantizeGoldenTest {
    /** Relative RMS error ceilings, about 1.3x what gguf-py's decoder measures on these tensors. */
    private static final Map<DType, Double> MAX_REL_RMSE = Map.of(
            DType.Q8_0, 0.005, DType.Q6_K, 0.018, DType.Q4_0, 0.085, DType.Q4_1, 0.08, DType.Q5_0, 0.04,
            DType.Q5_1, 0.04, DType.Q2_K, 0.30, DType.Q3_K, 0.16, DType.Q4_K, 0.072, DType.Q5_K, 0.036);

    record Entry(String file, DType type, long seed, int rows, int cols) {
    }

    /** The LCG of llama_quantize_golden.py: Knuth's MMIX constants, top 24 bits scaled to [-2, 2). */
    static float[] lcgFloats(long seed, int n) {
        long s = seed;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            out[i] = (float) (((s >>> 40) - (1 << 23)) * 0x1p-22);
        }
        return out;
    }

    static List<Entry> manifest() throws IOException {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = LlamaQuantizeGoldenTest.class.getResourceAsStream("/llama-quantize/manifest.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] f = line.split("\t");
                    out.add(new Entry(f[0], DType.valueOf(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]),
                            Integer.parseInt(f[4])));
                }
            }
        }
        return out;
    }

    private static byte[] bytes(Entry e) throws IOException {
        try (InputStream in = LlamaQuantizeGoldenTest.class.getResourceAsStream("/llama-quantize/" + e.file())) {
            return in.readAllBytes();
        }
    }

    @Test
    void lcgMatchesPython() {
        // lcg_floats(1, 3) as printed by python3 (llama_quantize_golden.py)
        assertArrayEquals(new float[] {-0.3071634769439697f, 0.03762960433959961f, 0.5934374332427979f},
                lcgFloats(1, 3));
    }

    @Test
    void q8_0AndQ4_0AreBitExactWithLlamaQuantize() throws IOException {
        int checked = 0;
        for (Entry e : manifest()) {
            if (e.type() == DType.Q8_0 || e.type() == DType.Q4_0) {
                float[] x = lcgFloats(e.seed(), e.rows() * e.cols());
                byte[] ours = new byte[(int) e.type().bytesFor(x.length)];
                BlockCodecs.of(e.type()).quantize(x, 0, x.length, MemorySegment.ofArray(ours), 0);
                assertArrayEquals(bytes(e), ours, e.file());
                checked++;
            }
        }
        assertEquals(3, checked);
    }

    @Test
    void everyCodecDecodesGgmlBlocks() throws IOException {
        Set<DType> seen = new TreeSet<>();
        for (Entry e : manifest()) {
            float[] x = lcgFloats(e.seed(), e.rows() * e.cols());
            byte[] q = bytes(e);
            assertEquals(e.type().bytesFor(x.length), q.length, e.file());
            float[] y = new float[x.length];
            BlockCodecs.of(e.type()).dequantize(MemorySegment.ofArray(q), 0, y, 0, y.length);
            double err = 0;
            double ref = 0;
            for (int i = 0; i < x.length; i++) {
                err += (x[i] - y[i]) * (double) (x[i] - y[i]);
                ref += x[i] * (double) x[i];
            }
            double rel = Math.sqrt(err / ref);
            assertTrue(rel < MAX_REL_RMSE.get(e.type()), e.file() + ": relative RMS error " + rel);
            seen.add(e.type());
        }
        assertEquals(MAX_REL_RMSE.keySet(), seen);
    }
}
