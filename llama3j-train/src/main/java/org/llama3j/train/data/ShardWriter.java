package org.llama3j.train.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Writes one token shard (format in {@code llama3j-train/README.md}): documents are appended one
 * at a time and streamed to {@code <file>.tmp}; {@link #close()} appends the offset table, fills in
 * the header and checksums, forces the file to disk and renames it into place, so a reader never
 * sees a half-written shard. Dependency-free on purpose: the data pipeline writes shards with it.
 *
 * <p>Not thread-safe. If writing fails the temporary file is deleted and the target is untouched.
 */
public final class ShardWriter implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final int vocabSize;
    private final int width;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C dataCrc = new CRC32C();
    private long[] offsets = new long[1024];
    private long docCount;
    private long tokenCount;
    private boolean closed;

    /**
     * @param vocabSize every token must lie in {@code [0, vocabSize)}; it also picks the token width
     */
    public ShardWriter(Path target, int vocabSize) throws IOException {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("shard vocabSize must be > 0, got " + vocabSize);
        }
        this.target = target;
        this.temp = target.resolveSibling(target.getFileName() + ".tmp");
        this.vocabSize = vocabSize;
        this.width = ShardFormat.tokenWidth(vocabSize);
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        channel.position(ShardFormat.HEADER_BYTES);
    }

    /** Appends one document (typically BOS … EOS). Empty documents are rejected. */
    public void addDocument(int[] tokens) throws IOException {
        addDocument(tokens, 0, tokens.length);
    }

    public void addDocument(int[] tokens, int from, int to) throws IOException {
        if (closed) {
            throw new IllegalStateException("shard " + target + " is already closed");
        }
        if (to <= from) {
            throw new IllegalArgumentException("shard " + target + ": document " + docCount + " is empty");
        }
        for (int i = from; i < to; i++) {
            int t = tokens[i];
            if (t < 0 || t >= vocabSize) {
                throw new IllegalArgumentException("shard " + target + ": document " + docCount + " token " + (i - from)
                        + " = " + t + " is outside [0, " + vocabSize + ")");
            }
        }
        try {
            for (int i = from; i < to; i++) {
                if (buffer.remaining() < width) {
                    flush();
                }
                if (width == 2) {
                    buffer.putShort((short) tokens[i]);
                } else {
                    buffer.putInt(tokens[i]);
                }
            }
        } catch (IOException e) {
            abort();
            throw e;
        }
        if (docCount + 1 >= offsets.length) {
            if (offsets.length >= Integer.MAX_VALUE / 2) {
                throw new IllegalStateException("shard " + target + " holds " + docCount
                        + " documents, the most one shard's offset table takes; start a new shard");
            }
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        tokenCount += to - from;
        offsets[(int) ++docCount] = tokenCount;
    }

    public long documentCount() {
        return docCount;
    }

    public long tokenCount() {
        return tokenCount;
    }

    private void flush() throws IOException {
        buffer.flip();
        dataCrc.update(buffer.duplicate());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            long padding = ShardFormat.offsetsStart(tokenCount, width) - (ShardFormat.HEADER_BYTES + tokenCount * width);
            for (int i = 0; i < padding; i++) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                buffer.put((byte) 0);
            }
            for (long d = 0; d <= docCount; d++) {
                if (buffer.remaining() < 8) {
                    flush();
                }
                buffer.putLong(offsets[(int) d]);
            }
            flush();
            ByteBuffer header = ByteBuffer.allocate(ShardFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.put(ShardFormat.MAGIC).putInt(ShardFormat.VERSION).putInt(vocabSize).putInt(width).putInt(0)
                    .putLong(docCount).putLong(tokenCount).putInt((int) dataCrc.getValue());
            CRC32C headerCrc = new CRC32C();
            headerCrc.update(header.array(), 0, ShardFormat.HEADER_CRC_OFFSET);
            header.putInt((int) headerCrc.getValue());
            header.clear();
            channel.position(0);
            while (header.hasRemaining()) {
                channel.write(header);
            }
            channel.force(true);
            channel.close();
            closed = true;
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    private void abort() {
        closed = true;
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove partial shard " + temp, e);
        }
    }
}
