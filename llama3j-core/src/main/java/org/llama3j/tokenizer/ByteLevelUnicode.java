package org.llama3j.tokenizer;

/**
 * GPT-2's reversible byte ↔ printable-character map ({@code bytes_to_unicode} in OpenAI's gpt-2
 * {@code encoder.py}), used by Hugging Face byte-level BPE and GGUF {@code tokenizer.ggml.tokens}:
 * the printable bytes '!'..'~', '¡'..'¬', '®'..'ÿ' map to themselves, the other 68 bytes to U+0100 upward.
 */
public final class ByteLevelUnicode {
    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[0x200];

    static {
        java.util.Arrays.fill(BYTE_OF_CHAR, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + next++);
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = b;
        }
    }

    private ByteLevelUnicode() {
    }

    /** Token text in byte-level form → its bytes; a char outside the map is an error naming the token. */
    public static byte[] decode(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                throw new TokenizerException("token '" + token + "' has char U+" + Integer.toHexString(c).toUpperCase()
                        + " at " + i + ", which is not in the byte-level (GPT-2) alphabet");
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** Bytes → byte-level token text. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        return new String(out);
    }
}
