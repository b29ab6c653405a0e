package org.llama3j.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.HashMap;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap merge (long pieces) must pick exactly the pairs tiktoken's scan picks. */
class BytePairEncoderTest {

    @Test
    void heapAndScanAgreeOnEveryGoldenPiece() throws Exception {
        Map<ByteSequence, Integer> ranks = TiktokenFile.read(TestTokenizers.resource("/llama3/tokenizer.model"), "tokenizer.model");
        byte[][] tokens = new byte[ranks.size()][];
        int[] rankOf = new int[ranks.size()];
        int k = 0;
        for (var e : ranks.entrySet()) {
            tokens[k] = e.getKey().toArray();
            rankOf[k++] = e.getValue();
        }
        ByteRanks byteRanks = new ByteRanks(tokens, rankOf);
        int[] compared = {0};
        for (GoldenTokenizerTest.Golden g : GoldenTokenizerTest.load()) {
            String text = Tokenizer.replaceLoneSurrogates(g.text());
            Llama3PreTokenizer.INSTANCE.split(text, 0, text.length(), (start, end) -> {
                byte[] bytes = text.substring(start, end).getBytes(StandardCharsets.UTF_8);
                if (bytes.length < 2) return;
                compare(byteRanks, bytes);
                compared[0]++;
            });
        }
        assertTrue(compared[0] > 10_000, "pieces compared: " + compared[0]);
        // and random byte soup, where merges are rare and ties frequent
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[1 + random.nextInt(600)];
            for (int j = 0; j < bytes.length; j++) bytes[j] = (byte) " eatnis\u00e9".charAt(random.nextInt(8));
            compare(byteRanks, bytes);
        }
    }

    private static void compare(ByteRanks ranks, byte[] bytes) {
        IntList scan = new IntList(8);
        IntList heap = new IntList(8);
        BytePairEncoder.encodeByScan(ranks, bytes, bytes.length, scan);
        BytePairEncoder.encodeWithHeap(ranks, bytes, bytes.length, heap);
        assertArrayEquals(scan.toArray(), heap.toArray(), new String(bytes, StandardCharsets.UTF_8));
    }
}
