package org.llama3j.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llama3j.data.Document;
import org.llama3j.data.step.StepLedger;

class JsonlReaderTest {

    /** Counts like the executor's ledger. */
    static final class Counts implements StepLedger {
        long input;
        long kept;
        final Map<String, Long> removed = new TreeMap<>();

        @Override
        public void input() {
            input++;
        }

        @Override
        public void kept() {
            kept++;
        }

        @Override
        public void removed(String id, String reason, String detail) {
            removed.merge(reason, 1L, Long::sum);
        }
    }

    static final byte[] INVALID_LINE = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', 'a', (byte) 0xC3, '(', '"', '}'};

    static Path malformedFile(Path dir) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("{\"id\":\"ok1\",\"text\":\"first\",\"url\":\"https://x.org\",\"metadata\":{\"date\":\"2024-01-01\"}}\n"
                .getBytes(StandardCharsets.UTF_8));                                         // 1 ok
        b.write("{\"id\":\"bad\",\"text\": \"unterminated}\n".getBytes(StandardCharsets.UTF_8));   // 2 malformed
        b.write(INVALID_LINE);                                                              // 3 invalid UTF-8
        b.write('\n');
        b.write(("{\"text\":\"" + "y".repeat(300) + "\"}\n").getBytes(StandardCharsets.UTF_8)); // 4 oversized line
        b.write(("{\"text\":\"" + "z".repeat(60) + "\"}\n").getBytes(StandardCharsets.UTF_8));  // 5 oversized doc
        b.write("{\"id\":\"t\",\"body\":\"no text\"}\n".getBytes(StandardCharsets.UTF_8));       // 6 missing text
        b.write("[1,2,3]\r\n".getBytes(StandardCharsets.UTF_8));                             // 7 not an object
        b.write("   \n".getBytes(StandardCharsets.UTF_8));                                   // 8 blank
        b.write("{\"text\":\"caf\u00e9 \u2603\"}".getBytes(StandardCharsets.UTF_8));          // 9 ok, no id, no final newline
        Path f = dir.resolve("in.jsonl");
        Files.write(f, b.toByteArray());
        return f;
    }

    @Test
    void quarantinesEveryBadLineWithItsReasonAndLineNumber(@TempDir Path dir) throws Exception {
        Path f = malformedFile(dir);
        List<QuarantineRecord> q = new ArrayList<>();
        Counts counts = new Counts();
        List<Document> docs;
        try (Stream<Document> s = new JsonlReader(f, new ReaderConfig("text", "id", 50, 200), q::add, counts).documents()) {
            docs = s.toList();
        }
        assertEquals(2, docs.size());
        assertEquals(new Document("ok1", "first", Map.of("url", "https://x.org", "date", "2024-01-01")), docs.get(0));
        assertEquals(new Document("in.jsonl:9", "caf\u00e9 \u2603"), docs.get(1));

        assertEquals(List.of("malformed_json", "invalid_utf8", "oversized_line", "oversized_document", "missing_text",
                "not_an_object"), q.stream().map(QuarantineRecord::reason).toList());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), q.stream().map(QuarantineRecord::line).toList());
        QuarantineRecord utf = q.get(1);
        assertTrue(utf.detail().contains("line 3") && utf.detail().contains("byte offset 10"), utf.detail());
        assertArrayEquals(INVALID_LINE, Base64.getDecoder().decode(utf.rawBase64()));
        assertNull(utf.raw());
        assertEquals("{\"id\":\"bad\",\"text\": \"unterminated}", q.get(0).raw());
        assertTrue(q.get(2).detail().startsWith("311 bytes exceed maxLineBytes 200"), q.get(2).detail());

        assertEquals(9, counts.input);
        assertEquals(2, counts.kept);
        assertEquals(Map.of("blank_line", 1L, "invalid_utf8", 1L, "malformed_json", 1L, "missing_text", 1L,
                "not_an_object", 1L, "oversized_document", 1L, "oversized_line", 1L), counts.removed);
    }

    @Test
    void gzipAndZstdRoundTrip(@TempDir Path dir) {
        List<Document> docs = List.of(new Document("a", "alpha \u00fcber", Map.of("n", 3, "tags", List.of("x", "y"))),
                new Document("b", "line1\nline2\r\n\"quoted\""));
        for (String name : List.of("d.jsonl", "d.jsonl.gz", "d.jsonl.zst")) {
            Path f = dir.resolve(name);
            try (JsonlWriter w = new JsonlWriter(f)) {
                docs.forEach(w::write);
            }
            List<Document> back;
            try (Stream<Document> s = new JsonlReader(f, ReaderConfig.DEFAULTS, r -> {
                throw new AssertionError(r.toString());
            }, new Counts()).documents()) {
                back = s.toList();
            }
            assertEquals(docs, back, name);
        }
        assertEquals(Compression.GZIP, Compression.of(dir.resolve("x.jsonl.gz")));
        assertEquals(Compression.ZSTD, Compression.of(dir.resolve("x.jsonl.zst")));
    }

    @Test
    void truncatedGzipQuarantinesTheRestAndKeepsWhatWasRead(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full.jsonl.gz");
        try (JsonlWriter w = new JsonlWriter(full)) {
            for (int i = 0; i < 2000; i++) {
                w.write(new Document("d" + i, "document number " + i + " " + "x".repeat(i % 50)));
            }
        }
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        List<QuarantineRecord> q = new ArrayList<>();
        Counts counts = new Counts();
        long kept;
        try (Stream<Document> s = new JsonlReader(cut, ReaderConfig.DEFAULTS, q::add, counts).documents()) {
            kept = s.count();
        }
        assertTrue(kept > 0 && kept < 2000, "documents before the cut survive: " + kept);
        assertEquals(1, q.size());
        assertEquals("corrupt_stream", q.getFirst().reason());
        assertEquals(kept + 1, q.getFirst().line());
        assertEquals(kept, counts.kept);
        assertEquals(kept + 1, counts.input);
        assertEquals(Map.of("corrupt_stream", 1L), counts.removed);
    }
}
