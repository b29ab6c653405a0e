package org.llama3j.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.llama3j.tensor.DType;
import org.llama3j.tensor.HalfFloats;

/** Hand-built blocks with values worked out from the ggml-common.h layouts, and round-trip bounds. */
class KnownBlocksTest {

    private static final short F16_ONE = 0x3C00;
    private static final short F16_HALF = 0x3800;
    private static final short F16_TWO = 0x4000;

    private static float[] decode(DType type, byte[] block) {
        float[] out = new float[type.blockSize()];
        BlockCodecs.of(type).dequantize(MemorySegment.ofArray(block), 0, out, 0, out.length);
        return out;
    }

    private static void putShort(byte[] b, int off, short v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    @Test
    void q8_0() {
        byte[] b = new byte[34];
        putShort(b, 0, F16_HALF);
        b[2] = 4;
        b[3] = -3;
        b[33] = 127;
        float[] x = decode(DType.Q8_0, b);
        assertEquals(2f, x[0]);
        assertEquals(-1.5f, x[1]);
        assertEquals(0f, x[2]);
        assertEquals(63.5f, x[31]);
    }

    @Test
    void q4_0NibbleOrder() {
        byte[] b = new byte[18];
        putShort(b, 0, F16_TWO);
        b[2] = (byte) 0xF0; // element 0 low nibble 0 -> (0-8)*2 = -16; element 16 high nibble 15 -> 14
        b[17] = 0x19;       // element 15 low 9 -> 2; element 31 high 1 -> -14
        float[] x = decode(DType.Q4_0, b);
        assertEquals(-16f, x[0]);
        assertEquals(14f, x[16]);
        assertEquals(2f, x[15]);
        assertEquals(-14f, x[31]);
        assertEquals(-16f, x[1]);
    }

    @Test
    void q4_1AddsMin() {
        byte[] b = new byte[20];
        putShort(b, 0, F16_HALF);
        putShort(b, 2, F16_ONE);
        b[4] = 0x3A; // element 0: 10*0.5+1 = 6; element 16: 3*0.5+1 = 2.5
        float[] x = decode(DType.Q4_1, b);
        assertEquals(6f, x[0]);
        assertEquals(2.5f, x[16]);
        assertEquals(1f, x[1]);
    }

    @Test
    void q5_0HighBits() {
        byte[] b = new byte[22];
        putShort(b, 0, F16_ONE);
        // qh bit 0 -> element 0 gets +16; bit 16 -> element 16 gets +16; bit 31 -> element 31.
        b[2] = 0x01;
        b[4] = 0x01;
        b[5] = (byte) 0x80;
        b[6] = 0x21; // element 0 low 1, element 16 high 2
        float[] x = decode(DType.Q5_0, b);
        assertEquals(1f, x[0]);        // (1|16)-16
        assertEquals(2f, x[16]);       // (2|16)-16
        assertEquals(0f, x[31]);       // (0|16)-16
        assertEquals(-16f, x[1]);      // 0-16
    }

    @Test
    void q5_1HighBits() {
        byte[] b = new byte[24];
        putShort(b, 0, F16_ONE);
        putShort(b, 2, F16_HALF);
        b[4] = 0x02; // element 1
        b[9] = 0x05; // element 1 low nibble 5 -> 21 + 0.5
        float[] x = decode(DType.Q5_1, b);
        assertEquals(21.5f, x[1]);
        assertEquals(0.5f, x[0]);
    }

    @Test
    void q4_kScalesAndMins() {
        byte[] b = new byte[144];
        putShort(b, 0, F16_ONE);  // d
        putShort(b, 2, F16_HALF); // dmin
        b[4] = 3;      // scale 0 = 3
        b[8] = 2;      // min 0 = 2
        b[5] = (byte) (5 | 0x40);   // scale 1 = 5, top bits (1) feed scale 5 high bits
        b[13] = 0x27;  // scale 5 = 7 | (1<<4) = 23 ; min 5 = 2 | (top bits of b[9]=0) = 2
        b[16] = 0x4A;  // element 0: low 10 -> 3*10 - 0.5*2 = 29; element 32: high 4 -> 5*4 - 0 = 20
        float[] x = decode(DType.Q4_K, b);
        assertEquals(29f, x[0]);
        assertEquals(20f, x[32]);
        assertEquals(-1f, x[1]);
        // sub-block 5 is the high nibbles of bytes 64..95 (elements 160..191).
        b[16 + 64] = 0x10;
        x = decode(DType.Q4_K, b);
        assertEquals(23f * 1 - 0.5f * 2, x[160]);
    }

    @Test
    void q6_kLayout() {
        byte[] b = new byte[210];
        putShort(b, 208, F16_HALF);
        b[192] = 2;   // scale for elements 0..15
        b[194] = -1;  // scale for elements 32..47
        b[0] = 0x01;  // element 0 low 1; element 64 low 0
        b[128] = 0x0E; // element 0 high 2 -> q = 1 | 32 = 33 -> 1 ; element 32 high 3 -> q = 48 -> 16
        float[] x = decode(DType.Q6_K, b);
        assertEquals(0.5f * 2 * 1, x[0]);
        assertEquals(0.5f * -1 * 16, x[32]);
    }

    @Test
    void q2_kAndQ3_kZeroBlocks() {
        byte[] q2 = new byte[84];
        putShort(q2, 80, F16_ONE);
        putShort(q2, 82, F16_ONE);
        q2[0] = 0x21;  // scale 1, min 2 for elements 0..15
        q2[16] = 0x03; // element 0: q=3 -> 1*3 - 2 = 1 ; element 32 (shift 2): 0
        float[] x = decode(DType.Q2_K, q2);
        assertEquals(1f, x[0]);
        assertEquals(-2f, x[1]);
        byte[] q3 = new byte[110];
        putShort(q3, 108, F16_ONE);
        // all scales encode 0 -> (0 - 32); no high bits -> q - 4.
        q3[32] = 0x03;
        x = decode(DType.Q3_K, q3);
        assertEquals(-32f * (3 - 4), x[0]);
        assertEquals(-32f * -4, x[1]);
    }

    @Test
    void roundfRoundsHalfAwayFromZero() {
        assertEquals(-3f, CRound.roundf(-2.5f));
        assertEquals(3f, CRound.roundf(2.5f));
        assertEquals(-1f, CRound.roundf(-0.5f));
        assertEquals(0f, CRound.roundf(0.49999997f));
    }

    @Test
    void bf16RoundingAndNan() {
        assertEquals((short) 0x3F80, HalfFloats.floatToBf16(1.0f));
        // 1 + 2^-8 is halfway between bf16 1.0 and 1.0078125: ties to even -> 1.0.
        assertEquals((short) 0x3F80, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000)));
        assertEquals((short) 0x3F82, HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000)));
        assertEquals((short) 0x7FC0, HalfFloats.floatToBf16(Float.intBitsToFloat(0x7F800001)));
        assertEquals((short) 0x7F80, HalfFloats.floatToBf16(Float.MAX_VALUE));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void roundTripErrorIsBounded(DType type) {
        Random r = new Random(7);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 2;
        }
        MemorySegment q = BlockCodecs.quantize(x, type);
        float[] y = new float[x.length];
        BlockCodecs.of(type).dequantize(q, 0, y, 0, x.length);
        int bs = Math.max(32, type.blockSize());
        for (int b = 0; b < x.length; b += bs) {
            float amax = 0;
            for (int i = b; i < b + bs; i++) {
                amax = Math.max(amax, Math.abs(x[i]));
            }
            for (int i = b; i < b + bs; i++) {
                float bound = switch (type) {
                    case F32 -> 0f;
                    case F16 -> Math.abs(x[i]) * 0x1p-11f + 1e-7f;
                    case BF16 -> Math.abs(x[i]) * 0x1p-8f;
                    case Q8_0 -> amax / 127 * (0.5f + 127 * 0x1p-11f); // half a step + f16 rounding of d times q
                    case Q4_0 -> amax / 8 * 1.01f;            // a full step at the clipped end (+8 -> 7)
                    default -> throw new AssertionError();
                };
                assertEquals(x[i], y[i], bound, type + " element " + i);
            }
        }
    }

    @Test
    void rejectsPartialBlocksAndUnsupported() {
        BlockCodec q8 = BlockCodecs.of(DType.Q8_0);
        assertThrows(IllegalArgumentException.class,
                () -> q8.dequantize(MemorySegment.ofArray(new byte[34]), 0, new float[32], 0, 31));
        assertThrows(IndexOutOfBoundsException.class,
                () -> q8.dequantize(MemorySegment.ofArray(new byte[33]), 0, new float[32], 0, 32));
        assertFalse(BlockCodecs.of(DType.Q6_K).canQuantize());
        assertThrows(UnsupportedOperationException.class,
                () -> BlockCodecs.of(DType.Q6_K).quantize(new float[256], 0, 256, MemorySegment.ofArray(new byte[210]), 0));
        assertThrows(UnsupportedOperationException.class, () -> BlockCodecs.of(DType.I32));
        assertArrayEquals(new float[] {1f, -2f},
                new float[] {HalfFloats.f16ToFloat(F16_ONE), -HalfFloats.f16ToFloat(F16_TWO)});
    }
}
