package org.llama3j.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardTest {

    @TempDir
    Path dir;

    @Test
    void uint16ShardHasTheSpecifiedBytes() throws IOException {
        Path f = dir.resolve("s.bin");
        try (ShardWriter w = new ShardWriter(f, 1000)) {
            w.addDocument(new int[] {1, 2, 999});
            w.addDocument(new int[] {7});
        }
        byte[] b = Files.readAllBytes(f);
        // 64 header + 4 tokens × 2 bytes = 72 (already 8-aligned) + 3 offsets × 8 = 96
        assertEquals(96, b.length);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("L3JTOKS\0", new String(b, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, bb.getInt(8));
        assertEquals(1000, bb.getInt(12));
        assertEquals(2, bb.getInt(16));
        assertEquals(2, bb.getLong(24));
        assertEquals(4, bb.getLong(32));
        assertEquals(999, Short.toUnsignedInt(bb.getShort(64 + 4)));
        assertEquals(0, bb.getLong(72));
        assertEquals(3, bb.getLong(80));
        assertEquals(4, bb.getLong(88));
        CRC32C data = new CRC32C();
        data.update(b, 64, b.length - 64);
        assertEquals((int) data.getValue(), bb.getInt(40));
        CRC32C header = new CRC32C();
        header.update(b, 0, 44);
        assertEquals((int) header.getValue(), bb.getInt(44));
        assertFalse(Files.exists(dir.resolve("s.bin.tmp")));
    }

    @Test
    void roundTripsWithBothTokenWidths() throws IOException {
        for (int vocab : new int[] {65536, 128256}) {
            Path f = dir.resolve("v" + vocab + ".bin");
            int[][] docs = {{0, vocab - 1, 5}, {65535}, {3, 4, 5, 6, 7}};
            try (ShardWriter w = new ShardWriter(f, vocab)) {
                for (int[] d : docs) {
                    w.addDocument(d);
                }
            }
            try (ShardReader r = ShardReader.open(f)) {
                assertEquals(vocab <= 65536 ? 2 : 4, r.tokenWidth());
                assertEquals(3, r.documentCount());
                assertEquals(9, r.tokenCount());
                for (int d = 0; d < docs.length; d++) {
                    assertArrayEquals(docs[d], r.document(d));
                }
            }
        }
    }

    @Test
    void corruptionAndTruncationAreDetected() throws IOException {
        Path f = dir.resolve("c.bin");
        try (ShardWriter w = new ShardWriter(f, 300)) {
            w.addDocument(new int[] {10, 20, 30});
        }
        byte[] good = Files.readAllBytes(f);
        byte[] flipped = good.clone();
        flipped[66] ^= 1;
        Files.write(f, flipped);
        var e = assertThrows(ShardFormatException.class, () -> ShardReader.open(f));
        assertTrue(e.getMessage().contains("data checksum"), e.getMessage());
        Files.write(f, Arrays.copyOf(good, good.length - 8));
        e = assertThrows(ShardFormatException.class, () -> ShardReader.open(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] header = good.clone();
        header[12] = 1;
        Files.write(f, header);
        e = assertThrows(ShardFormatException.class, () -> ShardReader.open(f));
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
    }

    @Test
    void badTokensAreRejectedNamingTheDocument() throws IOException {
        Path f = dir.resolve("bad.bin");
        try (ShardWriter w = new ShardWriter(f, 100)) {
            w.addDocument(new int[] {1});
            var e = assertThrows(IllegalArgumentException.class, () -> w.addDocument(new int[] {1, 100}));
            assertTrue(e.getMessage().contains("document 1 token 1 = 100"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.addDocument(new int[0]));
        }
        try (ShardReader r = ShardReader.open(f)) {
            assertEquals(1, r.documentCount());
        }
    }
}
