package org.llama3j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * llama.cpp's tokenizer vectors for ggml-vocab-llama-bpe.gguf (tests/test-tokenizer-0: inputs separated
 * by "\n__ggml_vocab_test__\n", one line of ids per input, no BOS, no special parsing), run on the
 * tokenizer loaded from Meta's tokenizer.model and on the GGUF-vocabulary factory fed the GGUF's
 * tokenizer.ggml.* metadata (dumped by scripts/oracle/gguf_vocab_dump.py).
 */
class LlamaCppVocabTest {
    private static Tokenizer gguf;
    private static JsonNode ggufJson;

    @BeforeAll
    static void loadGguf() throws IOException {
        JsonNode n;
        try (InputStream in = new GZIPInputStream(TestTokenizers.resource("/llama3/llama-cpp/llama3-gguf-vocab.json.gz"))) {
            n = new ObjectMapper().readTree(in);
        }
        ggufJson = n;
        assertEquals("gpt2", n.get("model").asText());
        String[] tokens = strings(n.get("tokens"));
        String[] merges = strings(n.get("merges"));
        int[] types = new int[n.get("types").size()];
        for (int i = 0; i < types.length; i++) types[i] = n.get("types").get(i).asInt();
        gguf = GgufVocabulary.create(tokens, merges, types, n.get("pre").asText(), n.get("bos").asInt());
    }

    static String[] strings(JsonNode array) {
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asText();
        return out;
    }

    record Vector(String input, int[] ids) {
    }

    static List<Vector> vectors() throws IOException {
        String inp, out;
        try (InputStream i = TestTokenizers.resource("/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf.inp");
             InputStream o = TestTokenizers.resource("/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf.out")) {
            inp = new String(i.readAllBytes(), StandardCharsets.UTF_8);
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> inputs = new ArrayList<>(Arrays.asList(inp.split("\n__ggml_vocab_test__\n", -1)));
        if (inputs.getLast().isEmpty()) inputs.removeLast(); // the file ends with a separator
        List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n", -1)));
        if (lines.getLast().isEmpty()) lines.removeLast();
        assertEquals(inputs.size(), lines.size(), "inputs vs output lines");
        List<Vector> vs = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            String line = lines.get(k).strip();
            int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" +")).mapToInt(Integer::parseInt).toArray();
            vs.add(new Vector(inputs.get(k), ids));
        }
        return vs;
    }

    @Test
    void metaTokenizerMatchesLlamaCppVectors() throws IOException {
        List<Vector> vs = vectors();
        assertEquals(46, vs.size());
        for (Vector v : vs) {
            assertArrayEquals(v.ids(), TestTokenizers.llama3().encode(v.input()), GoldenTokenizerTest.escape(v.input()));
        }
    }

    @Test
    void ggufVocabularyMatchesLlamaCppVectors() throws IOException {
        for (Vector v : vectors()) {
            assertArrayEquals(v.ids(), gguf.encode(v.input()), GoldenTokenizerTest.escape(v.input()));
        }
    }

    @Test
    void ggufVocabularyMatchesMetaTokenizerOnAllGoldenStrings() throws IOException {
        Tokenizer meta = TestTokenizers.llama3();
        assertEquals(meta.vocabularySize(), gguf.vocabularySize());
        int n = 0;
        for (GoldenTokenizerTest.Golden g : GoldenTokenizerTest.load()) {
            int[] expected = g.ids();
            // the GGUF names some specials with the original Llama 3 names (e.g. 128008 reserved_special_token_4)
            if (g.special()) continue;
            assertArrayEquals(expected, gguf.encode(g.text()), GoldenTokenizerTest.escape(g.text()));
            assertEquals(g.decoded(), gguf.decode(expected));
            n++;
        }
        assertTrue(n > 9_000);
        assertEquals(128_000, gguf.specialId("<|begin_of_text|>"));
        assertArrayEquals(new int[]{128000, 9906}, gguf.encode("Hello", true, false));
        assertEquals(128_009, gguf.specialId("<|eot_id|>"));
    }

    @Test
    void huggingFaceTokenizerJsonMatchesMetaTokenizer() throws IOException {
        // A tokenizer.json in Llama 3's layout, built from the GGUF's vocabulary.
        JsonNode n = ggufJson;
        ObjectMapper json = new ObjectMapper();
        var root = json.createObjectNode();
        var added = root.putArray("added_tokens");
        var pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        var split = pre.putArray("pretokenizers").addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", Llama3PreTokenizer.PATTERN);
        var model = root.putObject("model");
        model.put("type", "BPE");
        var vocab = model.putObject("vocab");
        for (int id = 0; id < n.get("tokens").size(); id++) {
            String t = n.get("tokens").get(id).asText();
            if (n.get("types").get(id).asInt() == 3) {
                added.addObject().put("id", id).put("content", t).put("special", true);
            } else {
                vocab.put(t, id);
            }
        }
        Tokenizer hf = HuggingFaceTokenizer.load(new java.io.ByteArrayInputStream(json.writeValueAsBytes(root)), "tokenizer.json");
        Tokenizer meta = TestTokenizers.llama3();
        for (GoldenTokenizerTest.Golden g : GoldenTokenizerTest.load().subList(0, 2_000)) {
            if (g.special()) continue;
            assertArrayEquals(g.ids(), hf.encode(g.text()), GoldenTokenizerTest.escape(g.text()));
        }
        assertArrayEquals(meta.encode("<|eot_id|>x", true, true), hf.encode("<|eot_id|>x", true, true));
    }
}
