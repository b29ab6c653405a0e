package org.llama3j.format.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.quant.BlockCodecs;

/** A (sparse) 3 GiB file: tensor data beyond 2 GiB is reachable through the mapping. */
class GgufLargeFileTest {
    @TempDir
    Path dir;

    @Test
    void tensorPastTwoGigabytes() throws IOException {
        long offset = 5L << 29; // 2.5 GiB, a multiple of 32
        byte[] header = RawGguf.header(3, 2, 0)
                .tensor("near", new long[] {4}, 0, 0)
                .tensor("far", new long[] {4}, 0, offset)
                .data(32, 0).bytes();
        Path p = dir.resolve("big.gguf");
        Files.write(p, header);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(header.length + offset + 16);
            f.seek(header.length + offset);
            f.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(-2).putFloat(3)
                    .putFloat(0.5f).array());
        }
        try (GgufFile f = GgufReader.open(p)) {
            assertEquals(header.length, f.dataOffset());
            assertArrayEquals(new float[] {1, -2, 3, 0.5f}, BlockCodecs.dequantize(f.tensor("far")));
            assertArrayEquals(new float[4], BlockCodecs.dequantize(f.tensor("near")));
        }
    }
}
