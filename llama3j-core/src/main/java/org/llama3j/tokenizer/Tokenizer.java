package org.llama3j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE tokenizer with tiktoken semantics ({@code tiktoken/src/lib.rs}): text is split by a
 * {@link PreTokenizer}; a piece that is itself a token becomes that token (this reaches the 588 Llama 3
 * tokens that merges alone never build), otherwise it is merged pair by pair by lowest rank.
 * Special tokens are matched in text only when the caller allows it. Thread-safe.
 *
 * <p>Like Meta's {@code llama-models} {@code Tokenizer.encode}, text is cut before pre-tokenizing so no
 * run of whitespace or non-whitespace exceeds {@value #MAX_RUN} chars (it bounds BPE's quadratic
 * cost; tiktoken issue 195).
 */
public final class Tokenizer {
    /** Meta llama-models tokenizer.py {@code MAX_NO_WHITESPACES_CHARS}. */
    static final int MAX_RUN = 25_000;
    /** Meta llama-models tokenizer.py {@code TIKTOKEN_MAX_ENCODE_CHARS}. */
    static final int MAX_CHUNK = 400_000;
    private static final int CACHE_LIMIT = 1 << 16;

    private final ByteRanks ranks;
    private final byte[][] bytesById;
    private final SpecialTokens specials;
    private final PreTokenizer preTokenizer;
    private final Integer bosId;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param mergeableRanks token bytes → rank (= id); must hold all 256 single bytes
     * @param specials       special tokens; their ids must not collide with ranks
     * @param preTokenizer   splitter applied before BPE
     * @param bosText        special token prepended when {@code bos} is requested, or null
     */
    public Tokenizer(Map<ByteSequence, Integer> mergeableRanks, SpecialTokens specials, PreTokenizer preTokenizer,
                     String bosText) {
        byte[][] tokens = new byte[mergeableRanks.size()][];
        int[] rankOf = new int[tokens.length];
        int maxId = -1;
        int k = 0;
        for (Map.Entry<ByteSequence, Integer> e : mergeableRanks.entrySet()) {
            int rank = e.getValue();
            if (rank < 0) throw new TokenizerException("token " + e.getKey() + " has negative rank " + rank);
            tokens[k] = e.getKey().toArray();
            rankOf[k++] = rank;
            maxId = Math.max(maxId, rank);
        }
        for (int id : specials.asMap().values()) maxId = Math.max(maxId, id);
        this.ranks = new ByteRanks(tokens, rankOf);
        this.bytesById = new byte[maxId + 1][];
        for (int i = 0; i < tokens.length; i++) {
            if (bytesById[rankOf[i]] != null) {
                throw new TokenizerException("rank " + rankOf[i] + " is used by two tokens");
            }
            bytesById[rankOf[i]] = tokens[i];
        }
        for (Map.Entry<String, Integer> e : specials.asMap().entrySet()) {
            if (bytesById[e.getValue()] != null) {
                throw new TokenizerException("special token '" + e.getKey() + "' id " + e.getValue()
                        + " collides with a mergeable token");
            }
            bytesById[e.getValue()] = e.getKey().getBytes(StandardCharsets.UTF_8);
        }
        byte[] single = new byte[1];
        for (int b = 0; b < 256; b++) {
            single[0] = (byte) b;
            if (ranks.rank(single, 0, 1) == ByteRanks.ABSENT) {
                throw new TokenizerException("byte 0x" + Integer.toHexString(b)
                        + " is not in the vocabulary (a byte-level BPE vocabulary needs all 256 single bytes)");
            }
        }
        this.specials = specials;
        this.preTokenizer = preTokenizer;
        this.bosId = bosText == null ? null : specials.id(bosText);
    }

    /** Number of ids (highest id + 1). */
    public int vocabularySize() {
        return bytesById.length;
    }

    public int mergeableCount() {
        return ranks.size();
    }

    public SpecialTokens specialTokens() {
        return specials;
    }

    /** Id of a special token by its text, e.g. {@code "<|eot_id|>"}; unknown text is an error. */
    public int specialId(String text) {
        return specials.id(text);
    }

    public boolean isSpecial(int id) {
        return specials.isSpecial(id);
    }

    /** Encodes text; special-token text in it is plain text. */
    public int[] encode(String text) {
        return encode(text, false, false);
    }

    /**
     * @param bos          prepend the begin-of-text token
     * @param allowSpecial recognise special-token text in {@code text} as those tokens (tiktoken
     *                     {@code allowed_special="all"}); otherwise it is plain text
     */
    public int[] encode(String text, boolean bos, boolean allowSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (bos) {
            if (bosId == null) throw new TokenizerException("this tokenizer has no begin-of-text token");
            out.add(bosId);
        }
        String clean = replaceLoneSurrogates(text);
        if (!allowSpecial) {
            encodeOrdinary(clean, 0, clean.length(), out);
            return out.toArray();
        }
        String[] found = new String[1];
        int at = 0;
        while (at < clean.length()) {
            int s = specials.find(clean, at, clean.length(), found);
            if (s < 0) {
                encodeOrdinary(clean, at, clean.length(), out);
                break;
            }
            encodeOrdinary(clean, at, s, out);
            out.add(specials.id(found[0]));
            at = s + found[0].length();
        }
        return out.toArray();
    }

    /**
     * tiktoken (Python) re-encodes a str with lone surrogates via UTF-16 'surrogatepass' and decodes
     * with 'replace', so each lone surrogate becomes U+FFFD; Java strings get the same treatment.
     */
    static String replaceLoneSurrogates(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            if (sb == null) sb = new StringBuilder(s);
            sb.setCharAt(i, '\uFFFD');
        }
        return sb == null ? s : sb.toString();
    }

    private void encodeOrdinary(String text, int from, int to, IntList out) {
        if (from >= to) return;
        // Meta's chunking, counted in code points as Python does: 400k-code-point chunks, each cut further
        // so that no run of (non-)whitespace exceeds MAX_RUN; cuts never split a surrogate pair.
        int sliceStart = from;
        int chunkLength = 0;
        int runLength = 0;
        boolean inSpace = false;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            boolean space = UnicodeClass.isPythonSpace(cp);
            if (chunkLength == MAX_CHUNK) {
                encodeSlice(text, sliceStart, i, out);
                sliceStart = i;
                chunkLength = 0;
            }
            if (chunkLength == 0 || space != inSpace) {
                runLength = 1;
                inSpace = space;
            } else if (++runLength > MAX_RUN) {
                encodeSlice(text, sliceStart, i, out);
                sliceStart = i;
                runLength = 1;
            }
            chunkLength++;
            i += Character.charCount(cp);
        }
        encodeSlice(text, sliceStart, to, out);
    }

    private void encodeSlice(String text, int from, int to, IntList out) {
        if (from >= to) return;
        byte[][] buffer = {new byte[64]};
        preTokenizer.split(text, from, to, (start, end) -> encodePiece(text, start, end, out, buffer));
    }

    private void encodePiece(String text, int start, int end, IntList out, byte[][] buffer) {
        int maxBytes = (end - start) * 3;
        if (buffer[0].length < maxBytes) buffer[0] = new byte[Math.max(maxBytes, buffer[0].length * 2)];
        byte[] bytes = buffer[0];
        int len = Utf8.encode(text, start, end, bytes);
        int whole = ranks.rank(bytes, 0, len);
        if (whole != ByteRanks.ABSENT) {
            out.add(whole);
            return;
        }
        String key = text.substring(start, end);
        int[] cached = cache.get(key);
        if (cached != null) {
            out.addAll(cached);
            return;
        }
        int mark = out.size();
        BytePairEncoder.encode(ranks, bytes, len, out);
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(key, out.range(mark));
    }

    /** Bytes of one token id (special tokens give their text). */
    public byte[] tokenBytes(int id) {
        if (id < 0 || id >= bytesById.length || bytesById[id] == null) {
            throw new TokenizerException("token id " + id + " is not in the vocabulary (size " + bytesById.length + ")");
        }
        return bytesById[id].clone();
    }

    byte[] tokenBytesUnsafe(int id) {
        if (id < 0 || id >= bytesById.length || bytesById[id] == null) {
            throw new TokenizerException("token id " + id + " is not in the vocabulary (size " + bytesById.length + ")");
        }
        return bytesById[id];
    }

    /** Concatenated bytes of the ids (tiktoken {@code decode_bytes}). */
    public byte[] decodeBytes(int[] ids) {
        int total = 0;
        for (int id : ids) total += tokenBytesUnsafe(id).length;
        byte[] out = new byte[total];
        int at = 0;
        for (int id : ids) {
            byte[] b = bytesById[id];
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    /** Decodes to text; invalid UTF-8 becomes U+FFFD (tiktoken {@code decode}, errors="replace"). */
    public String decode(int[] ids) {
        byte[] bytes = decodeBytes(ids);
        return Utf8.decodeReplacing(bytes, 0, bytes.length);
    }

    /** A decoder that takes ids one at a time and yields only complete characters. */
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this);
    }

    @Override
    public String toString() {
        return "Tokenizer[mergeable=" + ranks.size() + ", special=" + specials.size() + ", vocab=" + bytesById.length + "]";
    }
}
