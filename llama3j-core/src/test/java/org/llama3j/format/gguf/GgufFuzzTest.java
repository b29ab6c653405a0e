package org.llama3j.format.gguf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.quant.BlockCodecs;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.Tensor;

/**
 * Seeded mutations of a valid GGUF file (bit flips, truncations, length and count fields set huge,
 * random type ids, spliced chunks): the reader must either accept the file (and then every tensor
 * must be readable in bounds) or throw GgufFormatException — never another exception, never OOM.
 */
class GgufFuzzTest {
    private static final int ITERATIONS = 5000;
    private static final long[] HUGE = {-1L, Long.MAX_VALUE, 1L << 62, 1L << 32, 0xFFFF_FFFFL, 1L << 31,
            Integer.MAX_VALUE, 1L << 20, 0};

    @TempDir
    Path dir;

    @Test
    void mutatedHeadersOnlyEverThrowGgufFormatException() throws IOException {
        byte[] seed = seedFile();
        long headerEnd;
        try (GgufFile f = GgufReader.read("seed.gguf", MemorySegment.ofArray(seed))) {
            headerEnd = f.dataOffset();
        }
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Random r = new Random(1_000_003L * i);
            byte[] bytes = mutate(seed, (int) headerEnd, r);
            try (GgufFile f = GgufReader.read("fuzz.gguf", MemorySegment.ofArray(bytes))) {
                touchEverything(f);
                accepted++;
            } catch (GgufFormatException e) {
                assertTrue(e.getMessage().startsWith("fuzz.gguf: "), e.getMessage());
                rejected++;
            } catch (Throwable t) {
                fail("iteration " + i + ": " + t, t);
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the parser.
        assertTrue(rejected > ITERATIONS / 2, "rejected " + rejected);
        assertTrue(accepted > 0, "accepted " + accepted);
    }

    private static void touchEverything(GgufFile f) {
        f.metadata().asMap().forEach((k, v) -> v.toString());
        for (Tensor t : f.tensors().values()) {
            if (BlockCodecs.supports(t.type()) && t.elementCount() <= 1 << 16) {
                BlockCodecs.dequantize(t);
            }
        }
    }

    private static byte[] mutate(byte[] seed, int headerEnd, Random r) {
        byte[] b = seed.clone();
        int mutations = 1 + r.nextInt(3);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int limit = Math.min(headerEnd, b.length);
            int pos = r.nextInt(limit);
            switch (r.nextInt(6)) {
                case 0 -> { // bit flips
                    for (int k = 1 + r.nextInt(4); k > 0; k--) {
                        int p = r.nextInt(limit);
                        b[p] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncation
                case 2 -> put(b, pos, 8, HUGE[r.nextInt(HUGE.length)] + (r.nextBoolean() ? 0 : r.nextInt(64)));
                case 3 -> put(b, pos, 4, r.nextBoolean() ? r.nextInt(40) : r.nextInt()); // type ids, n_dims
                case 4 -> { // random bytes
                    for (int k = 0; k < 1 + r.nextInt(16) && pos + k < b.length; k++) {
                        b[pos + k] = (byte) r.nextInt();
                    }
                }
                default -> { // splice: copy a chunk of the header over another place
                    int from = r.nextInt(limit);
                    int len = Math.min(1 + r.nextInt(32), Math.min(b.length - from, b.length - pos));
                    if (len > 0) {
                        System.arraycopy(b.clone(), from, b, pos, len);
                    }
                }
            }
        }
        return b;
    }

    private static void put(byte[] b, int pos, int width, long value) {
        byte[] v = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        for (int k = 0; k < width && pos + k < b.length; k++) {
            b[pos + k] = v[k];
        }
    }

    private byte[] seedFile() throws IOException {
        Path p = dir.resolve("seed.gguf");
        float[] x = new float[512];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUInt32("llama.block_count", 2)
                .putFloat32("llama.rope.freq_base", 500000f)
                .putBool("flag", true)
                .putUInt64("big", 1L << 40)
                .putArray("tokenizer.ggml.tokens", GgufArray.ofStrings("a", "b", "Ġc", "<|eot_id|>"))
                .putArray("tokenizer.ggml.token_type", GgufArray.ofInt32(1, 1, 1, 3))
                .putArray("scores", GgufArray.ofFloat32(0f, -1f))
                .putArray("nested", new GgufArray(GgufValueType.ARRAY,
                        new GgufArray[] {GgufArray.ofInt32(1), GgufArray.ofStrings("x", "y")}))
                .put("u16", new GgufValue(GgufValueType.UINT16, 7))
                .addTensor("token_embd.weight", new long[] {32, 4}, Arrays.copyOf(x, 128), DType.F32)
                .addTensor("blk.0.attn_q.weight", new long[] {64, 4}, Arrays.copyOf(x, 256), DType.Q8_0)
                .addTensor("blk.0.ffn_down.weight", DType.Q4_K, new long[] {256, 1},
                        MemorySegment.ofArray(new byte[144]))
                .write(p);
        return Files.readAllBytes(p);
    }
}
