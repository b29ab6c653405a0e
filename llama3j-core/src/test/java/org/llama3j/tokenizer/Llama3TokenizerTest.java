package org.llama3j.tokenizer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-picked cases; expected ids come from tiktoken with Meta's tokenizer.model. */
class Llama3TokenizerTest {
    private final Tokenizer tok = TestTokenizers.llama3();

    @Test
    void encodesHandPickedStrings() {
        assertArrayEquals(new int[]{9906, 11, 1917, 0}, tok.encode("Hello, world!"));
        assertArrayEquals(new int[]{40, 28703, 1618, 26, 20255, 6, 4178, 733}, tok.encode("I'M here; WE'LL go"));
        assertArrayEquals(new int[]{19124, 220, 865}, tok.encode("  \n\n  x"));
        assertArrayEquals(new int[]{4513, 10961, 22}, tok.encode("1234567"));
        assertArrayEquals(new int[]{9468, 99, 247, 94776}, tok.encode("🦙 llama"));
        assertArrayEquals(new int[]{}, tok.encode(""));
        assertArrayEquals(new int[]{128000, 9906}, tok.encode("Hello", true, false));
    }

    @Test
    void hasLlama3SpecialTokensAtFixedIds() {
        assertEquals(128_256, tok.vocabularySize());
        assertEquals(128_000, tok.mergeableCount());
        String[] names = {"<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>",
                "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>", "<|python_tag|>",
                "<|reserved_special_token_3|>"};
        for (int i = 0; i < names.length; i++) assertEquals(128_000 + i, tok.specialId(names[i]), names[i]);
        assertEquals(128_255, tok.specialId("<|reserved_special_token_247|>"));
        assertTrue(tok.isSpecial(128_009));
        assertFalse(tok.isSpecial(127_999));
        assertEquals("<|eot_id|>", tok.decode(new int[]{128_009}));
    }

    @Test
    void specialTokenTextIsPlainUnlessAllowed() {
        assertArrayEquals(new int[]{27, 91, 68, 354, 851, 91, 29}, tok.encode("<|eot_id|>"));
        assertArrayEquals(new int[]{128009, 6151}, tok.encode("<|eot_id|>hi", false, true));
        // an unknown name in <|...|> form stays text even when specials are allowed
        assertArrayEquals(tok.encode("<|nope|>"), tok.encode("<|nope|>", false, true));
    }

    @Test
    void unknownSpecialTokenAndIdAreClearErrors() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> tok.specialId("<|im_start|>"));
        assertTrue(e.getMessage().contains("<|im_start|>"), e.getMessage());
        e = assertThrows(TokenizerException.class, () -> tok.decode(new int[]{128_256}));
        assertTrue(e.getMessage().contains("128256"), e.getMessage());
        assertThrows(TokenizerException.class, () -> tok.decode(new int[]{-1}));
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacterLikeTiktoken() {
        // tiktoken: str.encode('utf-16','surrogatepass').decode('utf-16','replace')
        assertArrayEquals(tok.encode("x\uFFFDy"), tok.encode("x\uD800y"));
        assertArrayEquals(tok.encode("\uFFFD"), tok.encode("\uDFFF"));
        assertEquals("😀", tok.decode(tok.encode("\uD83D\uDE00")));
    }

    @Test
    void decodeReplacesInvalidUtf8ByMaximalSubparts() {
        // Python: b'\xe2\x82\x41\xff\xf4\x90\x80\x80\xed\xa0\x80'.decode('utf-8', 'replace')
        byte[] bad = {(byte) 0xE2, (byte) 0x82, 0x41, (byte) 0xFF, (byte) 0xF4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertEquals("\uFFFDA" + "\uFFFD".repeat(8), Utf8.decodeReplacing(bad, 0, bad.length));
        assertEquals("\uFFFD", tok.decode(new int[]{9468})); // the first two bytes of an emoji
    }

    @Test
    void tinyVocabularyWithSpecialsAfterBaseRanksMatchesTiktoken() throws IOException {
        Map<ByteSequence, Integer> ranks = new HashMap<>();
        for (int b = 0; b < 256; b++) ranks.put(ByteSequence.of(new byte[]{(byte) b}), b);
        ranks.put(ByteSequence.utf8("ab"), 256);
        ranks.put(ByteSequence.utf8("abc"), 257);
        ranks.put(ByteSequence.utf8(" ab"), 258);
        ranks.put(ByteSequence.utf8("ca"), 259);
        // write → read round trip through the tiktoken file format
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        TiktokenFile.write(ranks, file);
        assertTrue(file.toString(StandardCharsets.US_ASCII).endsWith("IGFi 258\nY2E= 259\n"));
        Tokenizer tiny = Llama3Tokenizer.load(new ByteArrayInputStream(file.toByteArray()), "tiny");
        assertEquals(260 + 256, tiny.vocabularySize());
        assertEquals(260, tiny.specialId("<|begin_of_text|>"));
        assertEquals(269, tiny.specialId("<|eot_id|>"));
        // tiktoken.Encoding(pat_str=Llama 3, mergeable_ranks=above).encode("abcab ab cabc abca")
        assertArrayEquals(new int[]{257, 256, 258, 32, 99, 257, 32, 257, 97}, tiny.encode("abcab ab cabc abca"));
        assertArrayEquals(new int[]{260, 257, 269}, tiny.encode("abc<|eot_id|>", true, true));
        assertEquals("abcab ab cabc abca", tiny.decode(tiny.encode("abcab ab cabc abca")));
    }

    @Test
    void rejectsBadVocabularies() {
        Map<ByteSequence, Integer> noBytes = new HashMap<>();
        noBytes.put(ByteSequence.utf8("a"), 0);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Llama3Tokenizer.fromRanks(noBytes));
        assertTrue(e.getMessage().contains("byte 0x0"), e.getMessage());
        e = assertThrows(TokenizerException.class, () -> Llama3Tokenizer.load(
                new ByteArrayInputStream("QQ== 0\nnot-base64! 1\n".getBytes(StandardCharsets.US_ASCII)), "bad.model"));
        assertTrue(e.getMessage().contains("bad.model line 2"), e.getMessage());
        e = assertThrows(TokenizerException.class, () -> GgufVocabulary.create(new String[]{"a", "b"}, null, new int[]{1}, null, -1));
        assertTrue(e.getMessage().contains("token_type"), e.getMessage());
        e = assertThrows(TokenizerException.class, () -> GgufVocabulary.create(new String[]{"a"}, null, null, "qwen2", -1));
        assertTrue(e.getMessage().contains("qwen2"), e.getMessage());
        e = assertThrows(TokenizerException.class, () -> GgufVocabulary.create(new String[]{"a\n"}, null, null, null, -1));
        assertTrue(e.getMessage().contains("tokens[0]"), e.getMessage());
    }

    @Test
    void veryLongRunsAreCutLikeMetasTokenizer() {
        // Meta's encode cuts runs of >25,000 non-whitespace chars; each 25,000-char slice is encoded alone.
        String a = "a".repeat(Tokenizer.MAX_RUN);
        int[] slice = tok.encode(a);
        int[] twice = tok.encode(a + a);
        assertEquals(2 * slice.length, twice.length);
        assertEquals(a + a, tok.decode(twice));
        // runs are counted in code points, like Python, and never cut inside a surrogate pair
        String emoji = "😀".repeat(30_000);
        int[] expected = concat(tok.encode("😀".repeat(Tokenizer.MAX_RUN)), tok.encode("😀".repeat(5_000)));
        assertArrayEquals(expected, tok.encode(emoji));
        assertEquals(emoji, tok.decode(tok.encode(emoji)));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
