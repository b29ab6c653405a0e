package org.llama3j.format.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.tensor.DType;

/** Each malformed header gets a GgufFormatException that names the file and the problem. */
class GgufValidationTest {
    @TempDir
    Path dir;

    private static String error(RawGguf g) {
        return assertThrows(GgufFormatException.class, g::parse).getMessage();
    }

    private static String error(byte[] bytes) {
        return assertThrows(GgufFormatException.class,
                () -> GgufReader.read("t.gguf", MemorySegment.ofArray(bytes))).getMessage();
    }

    @Test
    void magicAndVersion() {
        assertEquals("t.gguf: not a GGUF file: magic 0x46554748, expected 0x46554747 ('GGUF')",
                error(new byte[] {'H', 'G', 'U', 'F', 3, 0, 0, 0}));
        assertEquals("t.gguf: file too short (2 bytes) for the GGUF magic", error(new byte[] {'G', 'G'}));
        assertEquals("t.gguf: unsupported GGUF version 1 (llama3j reads versions 2 and 3)",
                error(RawGguf.header(1, 0, 0)));
        assertTrue(error(RawGguf.header(0x03000000, 0, 0)).contains("unsupported GGUF version 50331648"));
        assertEquals(2, RawGguf.header(2, 0, 0).parse().version());
    }

    @Test
    void lyingCountsAndLengthsFailBeforeAllocating() {
        assertEquals("t.gguf: tensor count 18446744073709551615 at offset 8 cannot fit in the remaining 8 bytes",
                error(RawGguf.header(3, -1, 0)));
        assertTrue(error(RawGguf.header(3, 0, 1L << 40)).contains("metadata key/value count 1099511627776"));
        assertEquals("t.gguf: length of metadata key #0 4611686018427387904 at offset 24 cannot fit in the remaining 8 bytes",
                error(RawGguf.header(3, 0, 1).u64(1L << 62).u64(0)));
        String e = error(RawGguf.header(3, 0, 1).str("k").u32(9).u32(8).u64(Long.MAX_VALUE));
        assertTrue(e.startsWith("t.gguf: element count of 'k' 9223372036854775807 at offset 41 cannot fit"), e);
        e = error(RawGguf.header(3, 0, 1).str("k").u32(9).u32(5).u64(3).u32(1));
        assertTrue(e.startsWith("t.gguf: element count of 'k' 3 at offset 41 cannot fit in the remaining 4 bytes"), e);
    }

    @Test
    void truncatedAnywhere() throws IOException {
        Path p = dir.resolve("m.gguf");
        new GgufWriter().putString("general.name", "x").putArray("a", GgufArray.ofInt32(1, 2, 3))
                .addTensor("w", new long[] {32, 2}, new float[64], DType.Q8_0).write(p);
        byte[] full = Files.readAllBytes(p);
        long end;
        try (GgufFile f = GgufReader.open(p)) {
            end = f.dataOffset() + f.tensorInfos().getFirst().byteSize();
        }
        for (int len = 0; len < end; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            String msg = error(cut);
            assertTrue(msg.startsWith("t.gguf: "), msg);
        }
        Files.write(p, Arrays.copyOf(full, (int) end - 1));
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufReader.open(p));
        assertEquals("m.gguf: tensor 'w' data [offset 0, 68 bytes] runs past end of file (" + (end - 1)
                + " bytes, data section at " + (end - 68) + ")", e.getMessage());
    }

    @Test
    void badValues() {
        assertEquals("t.gguf: unknown value type id 13 for metadata 'k'",
                error(RawGguf.header(3, 0, 1).str("k").u32(13).u32(0)));
        assertEquals("t.gguf: bool value of 'k' at offset 37 is 2, not 0 or 1",
                error(RawGguf.header(3, 0, 1).str("k").u32(7).raw(2)));
        assertEquals("t.gguf: invalid UTF-8 in value of 'k' at offset 45",
                error(RawGguf.header(3, 0, 1).str("k").u32(8).u64(2).raw(0xC3, 0x28)));
        // a lone continuation byte and a truncated sequence, in an array of strings after a valid one
        assertEquals("t.gguf: invalid UTF-8 in element of 'k' at offset 66",
                error(RawGguf.header(3, 0, 1).str("k").u32(9).u32(8).u64(2).u64(1).raw('x').u64(2).raw('y', 0x80)));
        assertEquals("t.gguf: invalid UTF-8 in element of 'k' at offset 57",
                error(RawGguf.header(3, 0, 1).str("k").u32(9).u32(8).u64(1).u64(2).raw(0xE2, 0x9C)));
        assertEquals("t.gguf: duplicate metadata key 'k'",
                error(RawGguf.header(3, 0, 2).str("k").u32(4).u32(1).str("k").u32(4).u32(2)));
        assertEquals("t.gguf: 'general.alignment' = 24 is not a power of two up to 2^30",
                error(RawGguf.header(3, 0, 1).str("general.alignment").u32(4).u32(24)));
        assertEquals("t.gguf: 'general.alignment' is INT32, expected UINT32",
                error(RawGguf.header(3, 0, 1).str("general.alignment").u32(5).u32(64)));
        RawGguf deep = RawGguf.header(3, 0, 1).str("k").u32(9);
        for (int i = 0; i < 20; i++) {
            deep.u32(9).u64(1);
        }
        assertEquals("t.gguf: metadata 'k' nests arrays deeper than 8", error(deep.u32(0).u64(0)));
    }

    @Test
    void badTensorInfos() {
        assertEquals("t.gguf: tensor 'w' has 5 dimensions (1 to 4 supported)",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {1, 1, 1, 1, 1}, 0, 0)));
        assertEquals("t.gguf: tensor 'w' dimension 1 is 0 (must be positive)",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {4, 0}, 0, 0)));
        assertEquals("t.gguf: tensor 'w' dimension 0 is 18446744073709551615 (must be positive)",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {-1}, 0, 0)));
        assertEquals("t.gguf: tensor 'w' element count overflows: [4294967296, 4294967296]",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {1L << 32, 1L << 32}, 0, 0)));
        assertEquals("t.gguf: tensor 'w' has unknown or unsupported tensor type id 99",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {32}, 99, 0)));
        assertEquals("t.gguf: tensor 'w' row length 33 is not a multiple of the Q4_0 block size 32",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {33}, 2, 0)));
        assertEquals("t.gguf: tensor 'w' data offset 4 is not a multiple of the alignment 32",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {1}, 0, 4).data(32, 64)));
        assertEquals("t.gguf: duplicate tensor name 'w'",
                error(RawGguf.header(3, 2, 0).tensor("w", new long[] {1}, 0, 0).tensor("w", new long[] {1}, 0, 32)));
        assertEquals("t.gguf: tensor 'b' data [offset 32] overlaps tensor 'a' [offset 0, 64 bytes]",
                error(RawGguf.header(3, 2, 0).tensor("a", new long[] {16}, 0, 0).tensor("b", new long[] {1}, 0, 32)
                        .data(32, 128)));
        assertEquals("t.gguf: tensor 'w' data [offset 0, 4096 bytes] runs past end of file (3072 bytes, data section at 64)",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {1024}, 0, 0).data(32, 3008)));
        assertEquals("t.gguf: tensor 'w' data [offset 9223372036854775776, 4 bytes] runs past end of file (96 bytes, data section at 64)",
                error(RawGguf.header(3, 1, 0).tensor("w", new long[] {1}, 0, Long.MAX_VALUE - 31).data(32, 32)));
        GgufFile ok = RawGguf.header(3, 2, 0).tensor("a", new long[] {8}, 0, 32).tensor("b", new long[] {8}, 0, 0)
                .data(32, 64).parse();
        assertEquals(32, ok.findTensorInfo("a").orElseThrow().offset());
    }
}
