package org.llama3j.tokenizer;

/**
 * UTF-8 encoding of Java text and decoding with the Unicode "maximal subpart" replacement practice
 * (Unicode §3.9, U+FFFD substitution), which Python's {@code bytes.decode('utf-8', 'replace')} and so
 * tiktoken's {@code decode} follow: each maximal prefix of a valid sequence becomes one U+FFFD.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Writes UTF-8 of {@code s[from, to)} into {@code out} (room for 3 bytes per char); returns the length. */
    static int encode(CharSequence s, int from, int to, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                if (Character.isSurrogate(c)) c = '\uFFFD';
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }

    /** Number of continuation bytes a lead byte needs, or -1 if it cannot start a sequence. */
    private static int needed(int b0) {
        if (b0 < 0x80) return 0;
        if (b0 >= 0xC2 && b0 <= 0xDF) return 1;
        if (b0 >= 0xE0 && b0 <= 0xEF) return 2;
        if (b0 >= 0xF0 && b0 <= 0xF4) return 3;
        return -1;
    }

    /** Whether {@code b1} may follow lead byte {@code b0} (Unicode Table 3-7, well-formed sequences). */
    private static boolean validSecond(int b0, int b1) {
        return switch (b0) {
            case 0xE0 -> b1 >= 0xA0 && b1 <= 0xBF;
            case 0xED -> b1 >= 0x80 && b1 <= 0x9F;
            case 0xF0 -> b1 >= 0x90 && b1 <= 0xBF;
            case 0xF4 -> b1 >= 0x80 && b1 <= 0x8F;
            default -> b1 >= 0x80 && b1 <= 0xBF;
        };
    }

    static String decodeReplacing(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int b0 = b[i] & 0xFF;
            int need = needed(b0);
            if (need == 0) {
                sb.append((char) b0);
                i++;
                continue;
            }
            if (need < 0) {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            int cp = b0 & (0x3F >> need);
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                if (j >= to) {
                    ok = false;
                    break;
                }
                int bk = b[j] & 0xFF;
                if (k == 0 ? !validSecond(b0, bk) : (bk & 0xC0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (bk & 0x3F);
            }
            if (ok) {
                sb.appendCodePoint(cp);
            } else {
                sb.append('\uFFFD');
            }
            i = j;
        }
        return sb.toString();
    }

    /**
     * Length of the trailing bytes of {@code b[0, len)} that form a valid but unfinished sequence
     * (which more bytes may complete), or 0.
     */
    static int incompleteTail(byte[] b, int len) {
        for (int back = 1; back <= 3 && back <= len; back++) {
            int p = len - back;
            int lead = b[p] & 0xFF;
            if ((lead & 0xC0) == 0x80) continue; // continuation byte: keep looking for the lead
            int need = needed(lead);
            if (need <= 0 || back > need) return 0;
            if (back >= 2 && !validSecond(lead, b[p + 1] & 0xFF)) return 0;
            return back; // back <= need: unfinished (back == need + 1 is impossible here)
        }
        return 0;
    }
}
