package org.llama3j.tokenizer;

import java.util.HashMap;
import org.llama3j.format.gguf.GgufFile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@link Tokenizer} from GGUF {@code tokenizer.ggml.*} metadata given as plain Java values
 * (the GGUF reader lives elsewhere). Only {@code tokenizer.ggml.model = "gpt2"} (byte-level BPE) is
 * supported. Token types are llama.cpp's {@code llama_token_type}: 1 normal, 2 unknown, 3 control,
 * 4 user-defined, 5 unused, 6 byte. Normal tokens are byte-level text whose id is the rank
 * (tiktoken order, true for Llama 3 GGUFs converted from Meta's tokenizer); control and
 * user-defined tokens are special tokens matched by their text.
 */
public final class GgufVocabulary {
    public static final int TYPE_NORMAL = 1;
    public static final int TYPE_UNKNOWN = 2;
    public static final int TYPE_CONTROL = 3;
    public static final int TYPE_USER_DEFINED = 4;
    public static final int TYPE_UNUSED = 5;
    public static final int TYPE_BYTE = 6;

    private GgufVocabulary() {
    }

    /**
     * The tokenizer in a GGUF file's {@code tokenizer.ggml.*} metadata (byte-level BPE, {@code gpt2}, as Llama 3).
     *
     * @throws TokenizerException when the file has no tokenizer, another kind, or an inconsistent one
     */
    public static Tokenizer fromGguf(GgufFile f) {
        var md = f.metadata();
        String kind = md.optString("tokenizer.ggml.model").orElseThrow(
                () -> new TokenizerException(f.source() + ": no tokenizer in the file (tokenizer.ggml.model missing)"));
        if (!kind.equals("gpt2")) {
            throw new TokenizerException(f.source() + ": tokenizer model '" + kind
                    + "' is not supported (llama3j reads byte-level BPE, 'gpt2', as Llama 3 uses)");
        }
        try {
            return create(md.getStringArray("tokenizer.ggml.tokens"),
                    md.optArray("tokenizer.ggml.merges").isPresent() ? md.getStringArray("tokenizer.ggml.merges") : null,
                    md.optArray("tokenizer.ggml.token_type").isPresent() ? md.getIntArray("tokenizer.ggml.token_type") : null,
                    md.optString("tokenizer.ggml.pre").orElse(null),
                    md.optInt("tokenizer.ggml.bos_token_id").orElse(-1));
        } catch (RuntimeException e) {
            throw new TokenizerException(f.source() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param tokens       {@code tokenizer.ggml.tokens}
     * @param merges       {@code tokenizer.ggml.merges} ("left right" in byte-level form), or null; each
     *                     merge's parts and result must be tokens, so a mismatched vocabulary is caught
     * @param tokenTypes   {@code tokenizer.ggml.token_type}, or null (all normal)
     * @param preTokenizer {@code tokenizer.ggml.pre}, or null for Llama 3's pattern
     * @param bosId        {@code tokenizer.ggml.bos_token_id}, or -1
     */
    public static Tokenizer create(String[] tokens, String[] merges, int[] tokenTypes, String preTokenizer, int bosId) {
        if (tokens == null || tokens.length == 0) {
            throw new TokenizerException("tokenizer.ggml.tokens is missing or empty");
        }
        if (tokenTypes != null && tokenTypes.length != tokens.length) {
            throw new TokenizerException("tokenizer.ggml.token_type has " + tokenTypes.length
                    + " entries but tokenizer.ggml.tokens has " + tokens.length);
        }
        Map<ByteSequence, Integer> ranks = new HashMap<>(tokens.length * 2);
        Map<String, Integer> specials = new LinkedHashMap<>();
        Map<String, Integer> idOfText = merges == null ? null : new HashMap<>(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            int type = tokenTypes == null ? TYPE_NORMAL : tokenTypes[id];
            String text = tokens[id];
            switch (type) {
                case TYPE_NORMAL -> {
                    byte[] bytes;
                    try {
                        bytes = ByteLevelUnicode.decode(text);
                    } catch (TokenizerException e) {
                        throw new TokenizerException("tokenizer.ggml.tokens[" + id + "]: " + e.getMessage(), e);
                    }
                    if (ranks.put(ByteSequence.of(bytes), id) != null) {
                        throw new TokenizerException("tokenizer.ggml.tokens[" + id + "] '" + text + "' repeats an earlier token");
                    }
                    if (idOfText != null) idOfText.put(text, id);
                }
                case TYPE_CONTROL, TYPE_USER_DEFINED -> specials.put(text, id);
                case TYPE_UNUSED, TYPE_UNKNOWN -> {
                    // never produced by encoding; not decodable either
                }
                default -> throw new TokenizerException("tokenizer.ggml.token_type[" + id + "] = " + type
                        + " is not supported for byte-level BPE (expected 1, 2, 3, 4 or 5)");
            }
        }
        if (merges != null) checkMerges(merges, idOfText);
        SpecialTokens specialTokens = new SpecialTokens(specials);
        String bos = null;
        if (bosId >= 0) {
            bos = specialTokens.text(bosId);
            if (bos == null) {
                throw new TokenizerException("tokenizer.ggml.bos_token_id " + bosId + " is not a control token");
            }
        }
        return new Tokenizer(ranks, specialTokens, PreTokenizer.forName(preTokenizer), bos);
    }

    private static void checkMerges(String[] merges, Map<String, Integer> idOfText) {
        for (int i = 0; i < merges.length; i++) {
            String m = merges[i];
            int space = m.indexOf(' ', 1);
            if (space < 0) throw new TokenizerException("tokenizer.ggml.merges[" + i + "] '" + m + "' has no space");
            String left = m.substring(0, space);
            String right = m.substring(space + 1);
            if (!idOfText.containsKey(left) || !idOfText.containsKey(right) || !idOfText.containsKey(left + right)) {
                throw new TokenizerException("tokenizer.ggml.merges[" + i + "] '" + m
                        + "' refers to a token that is not in tokenizer.ggml.tokens");
            }
        }
    }
}
