package org.llama3j.data.io;

/**
 * One undecoded input line (without '\n' or a trailing '\r'): {@code bytes[0, length)}, or nothing when the line was
 * longer than the reader's limit ({@code oversized}; {@code fullLength} is its real size). Lines handed out by
 * {@link JsonlReader#records} own their bytes, so they can be parsed on another thread.
 */
public record RawLine(long number, byte[] bytes, int length, boolean oversized, long fullLength) {
}
