package org.llama3j.train.data;

import java.nio.charset.StandardCharsets;

/**
 * Constants of the llama3j token shard format (version 1); the full layout is specified in
 * {@code llama3j-train/README.md} ("Token shards"). All integers are little-endian.
 */
public final class ShardFormat {

    /** The first 8 bytes of every shard. */
    public static final byte[] MAGIC = "L3JTOKS\0".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 64;
    /** Header bytes covered by the header checksum (everything before it). */
    static final int HEADER_CRC_OFFSET = 44;
    static final int DATA_CRC_OFFSET = 40;
    /** Vocabularies up to this size store tokens as uint16, larger ones as uint32. */
    public static final int MAX_UINT16_VOCAB = 65536;

    private ShardFormat() {
    }

    /** Bytes per token for a vocabulary: 2 when every id fits in uint16, else 4. */
    public static int tokenWidth(int vocabSize) {
        return vocabSize <= MAX_UINT16_VOCAB ? 2 : 4;
    }

    /** Start of the document offset table: tokens end padded to a multiple of 8. */
    static long offsetsStart(long tokenCount, int width) {
        long end = HEADER_BYTES + tokenCount * width;
        return (end + 7) & ~7L;
    }

    static long fileLength(long tokenCount, long docCount, int width) {
        return offsetsStart(tokenCount, width) + 8 * (docCount + 1);
    }
}
