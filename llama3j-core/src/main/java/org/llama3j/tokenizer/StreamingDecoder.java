package org.llama3j.tokenizer;

import java.util.Arrays;

/**
 * Decodes ids one at a time for streaming output. Each call returns only complete characters; bytes
 * of a character split across tokens (an emoji's 4 bytes over 2 tokens) are held until it completes.
 * Invalid bytes become U+FFFD as soon as they are known to be invalid. Not thread-safe.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private byte[] pending = new byte[16];
    private int pendingLength;

    StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one id; returns the text it completes (maybe empty). */
    public String accept(int id) {
        byte[] b = tokenizer.tokenBytesUnsafe(id);
        if (pendingLength + b.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + b.length));
        }
        System.arraycopy(b, 0, pending, pendingLength, b.length);
        pendingLength += b.length;
        int keep = Utf8.incompleteTail(pending, pendingLength);
        int emit = pendingLength - keep;
        String text = Utf8.decodeReplacing(pending, 0, emit);
        System.arraycopy(pending, emit, pending, 0, keep);
        pendingLength = keep;
        return text;
    }

    /** Whether bytes of an unfinished character are held. */
    public boolean hasPending() {
        return pendingLength > 0;
    }

    /** Ends the stream: a held unfinished character becomes one U+FFFD. */
    public String flush() {
        String text = pendingLength == 0 ? "" : "\uFFFD";
        pendingLength = 0;
        return text;
    }
}
