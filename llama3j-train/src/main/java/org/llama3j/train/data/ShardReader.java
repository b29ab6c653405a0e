package org.llama3j.train.data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A memory-mapped token shard. {@link #open} checks magic, version, sizes, the offset table and
 * both checksums before returning, so every later read is of valid data. Thread-safe for reads.
 */
public final class ShardReader implements AutoCloseable {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final int vocabSize;
    private final int width;
    private final long docCount;
    private final long tokenCount;
    private final long offsetsStart;

    private ShardReader(Path path, Arena arena, MemorySegment data) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        if (data.byteSize() < ShardFormat.HEADER_BYTES) {
            throw bad("file has " + data.byteSize() + " bytes, shorter than the " + ShardFormat.HEADER_BYTES + "-byte header");
        }
        byte[] magic = data.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, ShardFormat.MAGIC)) {
            throw bad("not a llama3j token shard (bad magic)");
        }
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(data.asSlice(0, ShardFormat.HEADER_CRC_OFFSET).asByteBuffer());
        if ((int) headerCrc.getValue() != data.get(U32, ShardFormat.HEADER_CRC_OFFSET)) {
            throw bad("header checksum mismatch");
        }
        int version = data.get(U32, 8);
        if (version != ShardFormat.VERSION) {
            throw bad("version " + version + " is not supported (expected " + ShardFormat.VERSION + ")");
        }
        this.vocabSize = data.get(U32, 12);
        this.width = data.get(U32, 16);
        this.docCount = data.get(U64, 24);
        this.tokenCount = data.get(U64, 32);
        if (vocabSize <= 0 || width != ShardFormat.tokenWidth(vocabSize)) {
            throw bad("vocab size " + vocabSize + " with token width " + width + " is inconsistent");
        }
        if (docCount < 0 || tokenCount < 0 || docCount > tokenCount) {
            throw bad("document count " + docCount + " / token count " + tokenCount + " are impossible");
        }
        long expected = ShardFormat.fileLength(tokenCount, docCount, width);
        if (data.byteSize() != expected) {
            throw bad("file has " + data.byteSize() + " bytes, header implies " + expected + " (truncated?)");
        }
        this.offsetsStart = ShardFormat.offsetsStart(tokenCount, width);
        verifyDataChecksum();
        long previous = 0;
        if (offset(0) != 0 || offset(docCount) != tokenCount) {
            throw bad("offset table must start at 0 and end at the token count " + tokenCount);
        }
        for (long d = 1; d <= docCount; d++) {
            long o = offset(d);
            if (o <= previous) {
                throw bad("document " + (d - 1) + " is empty or offsets decrease at entry " + d);
            }
            previous = o;
        }
    }

    /** Maps and validates a shard; the mapping lives until {@link #close()}. */
    public static ShardReader open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new ShardReader(path, arena, seg);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private void verifyDataChecksum() {
        CRC32C crc = new CRC32C();
        long pos = ShardFormat.HEADER_BYTES;
        long end = data.byteSize();
        while (pos < end) {
            long n = Math.min(end - pos, 1 << 26);
            ByteBuffer bb = data.asSlice(pos, n).asByteBuffer();
            crc.update(bb);
            pos += n;
        }
        if ((int) crc.getValue() != data.get(U32, ShardFormat.DATA_CRC_OFFSET)) {
            throw bad("data checksum mismatch (corrupted tokens or offsets)");
        }
    }

    private ShardFormatException bad(String problem) {
        return new ShardFormatException("token shard " + path + ": " + problem);
    }

    public Path path() {
        return path;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int tokenWidth() {
        return width;
    }

    public long documentCount() {
        return docCount;
    }

    public long tokenCount() {
        return tokenCount;
    }

    /** Token index where document {@code d} starts; {@code offset(documentCount())} is the token count. */
    public long offset(long d) {
        return data.get(U64, offsetsStart + 8 * d);
    }

    public long documentLength(long d) {
        return offset(d + 1) - offset(d);
    }

    /** Token at global index {@code i} of this shard. */
    public int token(long i) {
        long at = ShardFormat.HEADER_BYTES + i * width;
        return width == 2 ? Short.toUnsignedInt(data.get(U16, at)) : data.get(U32, at);
    }

    /** Copies tokens {@code [from, from + count)} into {@code dst[dstOffset…]}. */
    public void read(long from, int[] dst, int dstOffset, int count) {
        if (from < 0 || count < 0 || from + count > tokenCount) {
            throw new IndexOutOfBoundsException("tokens [" + from + ", " + (from + count) + ") outside shard "
                    + path + " of " + tokenCount + " tokens");
        }
        for (int k = 0; k < count; k++) {
            dst[dstOffset + k] = token(from + k);
        }
    }

    /** The tokens of document {@code d}. */
    public int[] document(long d) {
        long from = offset(d);
        int[] out = new int[Math.toIntExact(documentLength(d))];
        read(from, out, 0, out.length);
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
