package org.llama3j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte-exactness against tiktoken with Meta's tokenizer.model on the 10,000 strings of
 * {@code scripts/oracle/tokenizer_golden.py} (every general category, whitespace and digit runs,
 * contractions, emoji/ZWJ, CJK, combining marks, long words, lone surrogates, special-token text).
 */
class GoldenTokenizerTest {

    /** @param pieces code-point lengths of the pre-tokenizer pieces, or null */
    record Golden(String text, int[] ids, String decoded, boolean special, int[] pieces) {
    }

    private static List<Golden> cached;

    /** The golden rows, parsed once per JVM. */
    static synchronized List<Golden> load() throws IOException {
        if (cached == null) cached = List.copyOf(parse());
        return cached;
    }

    private static List<Golden> parse() throws IOException {
        List<Golden> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(TestTokenizers.resource("/llama3/tokenizer-golden.jsonl.gz")), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n = json.readTree(line);
                int[] ids = new int[n.get("ids").size()];
                for (int i = 0; i < ids.length; i++) ids[i] = n.get("ids").get(i).asInt();
                String text = n.get("text").asText();
                String decoded = n.has("decoded") ? n.get("decoded").asText() : text;
                int[] pieces = null;
                if (n.has("pieces")) {
                    pieces = new int[n.get("pieces").size()];
                    for (int i = 0; i < pieces.length; i++) pieces[i] = n.get("pieces").get(i).asInt();
                }
                rows.add(new Golden(text, ids, decoded, n.path("special").asBoolean(false), pieces));
            }
        }
        return rows;
    }

    @Test
    void encodesAndDecodesAllGoldenStringsExactly() throws IOException {
        Tokenizer tok = TestTokenizers.llama3();
        List<Golden> rows = load();
        assertTrue(rows.size() >= 10_000, "golden rows: " + rows.size());
        int surrogateRows = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Golden g = rows.get(i);
            int[] ids = tok.encode(g.text(), false, g.special());
            if (!Arrays.equals(g.ids(), ids)) {
                failures.add("row " + i + " " + escape(g.text()) + "\n  expected " + Arrays.toString(g.ids())
                        + "\n  actual   " + Arrays.toString(ids));
            } else if (!g.decoded().equals(tok.decode(ids))) {
                failures.add("row " + i + " decode " + escape(g.text()) + " -> " + escape(tok.decode(ids)));
            }
            if (!g.decoded().equals(g.text())) surrogateRows++;
        }
        assertTrue(surrogateRows > 50, "lone-surrogate rows " + surrogateRows);
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " failures");
    }

    @Test
    void splitsAllGoldenStringsIntoTheSamePieces() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Golden g : load()) {
            if (g.pieces() == null) continue;
            checked++;
            String clean = Tokenizer.replaceLoneSurrogates(g.text());
            List<Integer> actual = new ArrayList<>();
            Llama3PreTokenizer.INSTANCE.split(clean, 0, clean.length(),
                    (start, end) -> actual.add(clean.codePointCount(start, end)));
            List<Integer> expected = Arrays.stream(g.pieces()).boxed().toList();
            if (!expected.equals(actual)) {
                failures.add(escape(g.text()) + "\n  expected " + expected + "\n  actual   " + actual);
            }
        }
        assertTrue(checked > 9_000, "rows with pieces: " + checked);
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " failures");
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7F) sb.append(c);
            else sb.append(String.format("\\u%04x", (int) c));
        }
        return sb.append('"').toString();
    }
}
