package org.llama3j.train.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llama3j.tokenizer.ByteSequence;
import org.llama3j.tokenizer.Llama3PreTokenizer;
import org.llama3j.tokenizer.Llama3Tokenizer;
import org.llama3j.tokenizer.Tokenizer;

/**
 * Against {@code scripts/oracle/bpe_reference.py}: a naive Python BPE trainer (full recount per
 * merge, Llama 3 split via the {@code regex} module) on a multilingual corpus gives the same ranks
 * and merges, and real tiktoken over those ranks encodes sample texts to the same ids as llama3j.
 */
class BpeTrainerGoldenTest {

    @Test
    void matchesTheReferenceTrainerAndTiktoken() throws IOException {
        JsonNode golden;
        String corpus;
        try (InputStream g = getClass().getResourceAsStream("/bpe/golden.json");
             InputStream c = getClass().getResourceAsStream("/bpe/corpus.txt")) {
            golden = new ObjectMapper().readTree(g);
            corpus = new String(c.readAllBytes(), StandardCharsets.UTF_8);
        }
        BpeTrainer trainer = new BpeTrainer(Llama3PreTokenizer.INSTANCE);
        trainer.addText(corpus);
        BpeModel m = trainer.train(golden.get("vocab").asInt());

        JsonNode ranks = golden.get("ranks");
        assertEquals(ranks.size(), m.ranks().size());
        for (Map.Entry<ByteSequence, Integer> e : m.ranks().entrySet()) {
            byte[] want = Base64.getDecoder().decode(ranks.get(e.getValue()).asText());
            assertArrayEquals(want, e.getKey().toArray(), "rank " + e.getValue());
        }
        JsonNode merges = golden.get("merges");
        assertEquals(merges.size(), m.merges().size());
        for (int i = 0; i < merges.size(); i++) {
            int[] want = {merges.get(i).get(0).asInt(), merges.get(i).get(1).asInt(), merges.get(i).get(2).asInt()};
            assertArrayEquals(want, m.merges().get(i), "merge " + i);
        }
        Tokenizer tok = Llama3Tokenizer.fromRanks(m.ranks());
        for (JsonNode sample : golden.get("samples")) {
            String text = sample.get("text").asText();
            int[] want = new int[sample.get("ids").size()];
            for (int i = 0; i < want.length; i++) {
                want[i] = sample.get("ids").get(i).asInt();
            }
            assertArrayEquals(want, tok.encode(text), text);
            assertEquals(text, tok.decode(want));
        }
    }
}
