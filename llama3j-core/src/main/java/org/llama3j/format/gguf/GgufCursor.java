package org.llama3j.format.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads GGUF's little-endian fields from a segment, checking every read and every length against
 * what is left of the file first, so a lying length never allocates or reads out of bounds.
 */
final class GgufCursor {
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Largest Java array a count may ask for. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final String source;
    private final MemorySegment data;
    private final long size;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private long pos;

    GgufCursor(String source, MemorySegment data) {
        this.source = source;
        this.data = data;
        this.size = data.byteSize();
    }

    long position() {
        return pos;
    }

    long size() {
        return size;
    }

    long remaining() {
        return size - pos;
    }

    GgufFormatException error(String problem) {
        return new GgufFormatException(source + ": " + problem);
    }

    private long take(long n, String what) {
        return take(n, "", what);
    }

    private long take(long n, String prefix, String what) {
        if (n > size - pos) {
            throw error("truncated at offset " + pos + " reading " + prefix + what + " (" + n + " bytes needed, "
                    + (size - pos) + " left)");
        }
        long at = pos;
        pos += n;
        return at;
    }

    int u8(String what) {
        return data.get(ValueLayout.JAVA_BYTE, take(1, what)) & 0xFF;
    }

    int i8(String what) {
        return data.get(ValueLayout.JAVA_BYTE, take(1, what));
    }

    int u16(String what) {
        return data.get(LE_SHORT, take(2, what)) & 0xFFFF;
    }

    int i16(String what) {
        return data.get(LE_SHORT, take(2, what));
    }

    long u32(String what) {
        return data.get(LE_INT, take(4, what)) & 0xFFFF_FFFFL;
    }

    int i32(String what) {
        return data.get(LE_INT, take(4, what));
    }

    /** A uint64/int64 as raw bits. */
    long i64(String what) {
        return data.get(LE_LONG, take(8, what));
    }

    float f32(String what) {
        return Float.intBitsToFloat(i32(what));
    }

    double f64(String what) {
        return Double.longBitsToDouble(i64(what));
    }

    boolean bool(String what) {
        long at = pos;
        int b = u8(what);
        if (b > 1) {
            throw error("bool " + what + " at offset " + at + " is " + b + ", not 0 or 1");
        }
        return b == 1;
    }

    /**
     * A uint64 count of items of at least {@code minItemBytes} each, checked to fit in the rest of the
     * file and in a Java array before anyone allocates for it.
     */
    int count(String what, long minItemBytes) {
        return count("", what, minItemBytes);
    }

    /** As {@link #count(String, long)}, the count named {@code prefix + what} in errors (concatenated only then). */
    private int count(String prefix, String what, long minItemBytes) {
        long at = pos;
        long n = data.get(LE_LONG, take(8, prefix, what));
        if (n < 0 || n > remaining() / minItemBytes) {
            throw error(prefix + what + " " + Long.toUnsignedString(n) + " at offset " + at + " cannot fit in the remaining "
                    + remaining() + " bytes");
        }
        if (n > MAX_ARRAY) {
            throw error(prefix + what + " " + n + " at offset " + at + " is more than llama3j can hold in one array");
        }
        return (int) n;
    }

    /**
     * A GGUF string: uint64 byte length, then that many bytes of UTF-8. Called for every token and merge
     * of a vocabulary (400,000 strings for Llama 3) while the JVM is still cold, so the common case is kept
     * short: no message text is built unless there is an error, and the JDK's lenient decoder (a fast loop
     * for ASCII) runs first; only a string in which it put a replacement character is decoded again
     * strictly, which tells a malformed one from one that really contains U+FFFD.
     */
    String string(String what) {
        int len = count("length of ", what, 1);
        long at = take(len, what);
        byte[] bytes = new byte[len];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, bytes, 0, len);
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            try {
                utf8.reset().decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                throw error("invalid UTF-8 in " + what + " at offset " + at);
            }
        }
        return s;
    }

    /** Moves to the next multiple of {@code alignment} (a power of two), if the file goes that far. */
    long alignedPosition(long alignment) {
        return (pos + alignment - 1) & -alignment;
    }
}
