package org.llama3j.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into '\n'-terminated lines without decoding, buffering at most {@code maxLineBytes}
 * of any line: a longer line is skipped to its end and reported as oversized, so a corrupt file without
 * newlines cannot exhaust memory.
 */
final class LineSource {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int limit;
    private long lineNumber;
    private byte[] line = new byte[1024];

    LineSource(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Number of lines returned so far. */
    long lineNumber() {
        return lineNumber;
    }

    /** The next line (without '\n' or a trailing '\r'), or null at end of input; its buffer is reused by the next call. */
    RawLine next() throws IOException {
        int len = 0;
        long full = 0;
        boolean sawAny = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(chunk);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? limit : nl;
            int n = end - pos;
            full += n;
            if (full <= maxLineBytes) {
                if (len + n > line.length) {
                    line = Arrays.copyOf(line, Math.max(len + n, Math.min(maxLineBytes, line.length * 2)));
                }
                System.arraycopy(chunk, pos, line, len, n);
                len += n;
            }
            pos = nl < 0 ? limit : nl + 1;
            if (nl >= 0) {
                break;
            }
        }
        lineNumber++;
        boolean oversized = full > maxLineBytes;
        if (!oversized && len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return new RawLine(lineNumber, line, oversized ? 0 : len, oversized, full);
    }
}
