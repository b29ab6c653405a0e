package org.llama3j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The check that every {@code tokenizer.ggml.merges} entry ("left right") names two normal tokens whose
 * concatenation is a normal token too (the real Llama 3 merges pass it in {@link LlamaCppVocabTest}).
 */
class GgufVocabularyMergesTest {
    private static final int N = GgufVocabulary.TYPE_NORMAL;
    private static final int C = GgufVocabulary.TYPE_CONTROL;
    /** The 256 single bytes (a byte-level vocabulary needs them; "Ġ" is the space byte), then these. */
    private static final String[] MORE = {"ab", "ĠĠ", "Ġa", "abĠa", "<|x|>"};
    private static final int[] MORE_TYPES = {N, N, N, N, C};

    private static void create(String... merges) {
        String[] tokens = new String[256 + MORE.length];
        int[] types = new int[tokens.length];
        for (int b = 0; b < 256; b++) {
            tokens[b] = ByteLevelUnicode.encode(new byte[] {(byte) b});
            types[b] = N;
        }
        System.arraycopy(MORE, 0, tokens, 256, MORE.length);
        System.arraycopy(MORE_TYPES, 0, types, 256, MORE.length);
        GgufVocabulary.create(tokens, merges, types, null, -1);
    }

    @Test
    void acceptsMergesOfNormalTokens() {
        assertDoesNotThrow(() -> create("a b", "Ġ Ġ", "Ġ a", "ab Ġa"));
        assertDoesNotThrow(() -> create());
    }

    @Test
    void rejectsAMergeWhosePartIsMissing() {
        var e = assertThrows(TokenizerException.class, () -> create("a b", "a c"));
        assertEquals("tokenizer.ggml.merges[1] 'a c' refers to a token that is not in tokenizer.ggml.tokens", e.getMessage());
        assertThrows(TokenizerException.class, () -> create("ĠĠĠ a"));
    }

    @Test
    void rejectsAMergeWhoseResultIsMissing() {
        // "b" and "a" are tokens, "ba" is not; nor is "ĠĠĠ"; nor "Ġaab"
        assertThrows(TokenizerException.class, () -> create("b a"));
        assertThrows(TokenizerException.class, () -> create("ĠĠ Ġ"));
        // same length and characters as a token, other order
        assertThrows(TokenizerException.class, () -> create("Ġa ab"));
    }

    @Test
    void controlTokensAreNotMergeParts() {
        assertThrows(TokenizerException.class, () -> create("<|x|> a"));
    }

    @Test
    void rejectsAMergeWithoutASpace() {
        var e = assertThrows(TokenizerException.class, () -> create("ab"));
        assertEquals("tokenizer.ggml.merges[0] 'ab' has no space", e.getMessage());
        // a leading space is part of the left side, not the separator
        assertThrows(TokenizerException.class, () -> create(" a"));
    }
}
