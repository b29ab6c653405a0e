package org.llama3j.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingDecoderTest {
    private final Tokenizer tok = TestTokenizers.llama3();

    @Test
    void holdsAnEmojiSplitAcrossTokensUntilComplete() {
        // tiktoken: "🦙" -> [9468, 99, 247] = F0 9F | A6 | 99
        assertArrayEquals(new int[]{9468, 99, 247}, tok.encode("🦙"));
        StreamingDecoder d = tok.streamingDecoder();
        assertEquals("", d.accept(9468));
        assertEquals("", d.accept(99));
        assertTrue(d.hasPending());
        assertEquals("🦙", d.accept(247));
        assertFalse(d.hasPending());
        assertEquals("", d.flush());
    }

    @Test
    void emitsCompleteCharactersBeforeTheSplitOne() {
        // "a😀b€" -> [64, 76460, 222, 65, 15406]: 'a' | F0 9F 98 | 80 | 'b' | E2 82 AC
        int[] ids = tok.encode("a😀b€");
        assertArrayEquals(new int[]{64, 76460, 222, 65, 15406}, ids);
        StreamingDecoder d = tok.streamingDecoder();
        List<String> out = new ArrayList<>();
        for (int id : ids) out.add(d.accept(id));
        assertEquals(List.of("a", "", "😀", "b", "€"), out);
    }

    @Test
    void streamsEveryGoldenStringToItsDecodedText() throws Exception {
        int n = 0;
        for (GoldenTokenizerTest.Golden g : GoldenTokenizerTest.load().subList(0, 3_000)) {
            StreamingDecoder d = tok.streamingDecoder();
            StringBuilder sb = new StringBuilder();
            for (int id : g.ids()) {
                String part = d.accept(id);
                assertFalse(!part.isEmpty() && Character.isHighSurrogate(part.charAt(part.length() - 1)));
                sb.append(part);
            }
            sb.append(d.flush());
            assertEquals(g.decoded(), sb.toString(), GoldenTokenizerTest.escape(g.text()));
            n++;
        }
        assertEquals(3_000, n);
    }

    @Test
    void flushTurnsADanglingPartialIntoOneReplacementCharacter() {
        StreamingDecoder d = tok.streamingDecoder();
        assertEquals("", d.accept(9468)); // F0 9F
        assertEquals("\uFFFD", d.flush());
        assertEquals("x", d.accept(87));
    }

    @Test
    void invalidBytesAreReplacedAtOnce() {
        StreamingDecoder d = tok.streamingDecoder();
        // 99 is the lone continuation byte A6: invalid on its own, replaced immediately
        assertEquals("\uFFFD", d.accept(99));
        assertFalse(d.hasPending());
        // F0 9F then 'x': the partial emoji can no longer complete
        assertEquals("", d.accept(9468));
        assertEquals("\uFFFDx", d.accept(87));
    }
}
