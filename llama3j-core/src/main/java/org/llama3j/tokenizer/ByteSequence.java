package org.llama3j.tokenizer;

import java.util.Arrays;
import java.util.HexFormat;

/** Immutable byte string usable as a map key (a token's bytes). */
public final class ByteSequence implements Comparable<ByteSequence> {
    private final byte[] bytes;
    private final int hash;

    private ByteSequence(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static ByteSequence of(byte[] bytes) {
        return new ByteSequence(bytes.clone());
    }

    public static ByteSequence of(byte[] bytes, int from, int to) {
        return new ByteSequence(Arrays.copyOfRange(bytes, from, to));
    }

    public static ByteSequence utf8(String text) {
        return new ByteSequence(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Concatenation of this and {@code other}. */
    public ByteSequence concat(ByteSequence other) {
        byte[] b = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
        System.arraycopy(other.bytes, 0, b, bytes.length, other.bytes.length);
        return new ByteSequence(b);
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    public byte[] toArray() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteSequence other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(ByteSequence o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
