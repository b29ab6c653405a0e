package org.llama3j.data.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.llama3j.data.Document;
import org.llama3j.data.step.StepLedger;

/**
 * Streams documents from a JSONL file (gzip/zstd by extension). Each line is one JSON object with a text
 * field; the id field, a {@code metadata} object and all other top-level fields become the document's
 * id and metadata. Every line is accounted in the ledger: kept, or quarantined with a reason
 * (never a crash, never a silent drop). Bytes are decoded with a strict UTF-8 decoder.
 */
public final class JsonlReader implements DocumentSource<RawLine> {

    private final Path file;
    private final ReaderConfig config;
    private final QuarantineSink quarantine;
    private final StepLedger ledger;
    private final InputStream in;
    private final LineSource lines;
    /** Strict UTF-8 (decoders are stateful, so one per parsing thread). */
    private static final ThreadLocal<CharsetDecoder> DECODER = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8
            .newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));

    public JsonlReader(Path file, ReaderConfig config, QuarantineSink quarantine, StepLedger ledger) {
        this.file = file;
        this.config = config;
        this.quarantine = quarantine;
        this.ledger = ledger;
        try {
            this.in = Compression.openInput(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open input " + file + ": " + e.getMessage(), e);
        }
        this.lines = new LineSource(in, config.maxLineBytes());
    }

    /** A lazy stream of the file's documents; closing the stream closes the file. */
    @Override
    public Stream<Document> documents() {
        return DocumentSource.stream(this, quarantine, ledger);
    }

    /**
     * The file's raw lines, each owning a copy of its bytes, for executors that parse on worker threads
     * ({@link #parse}). A truncated or corrupt compressed stream ends the iteration after quarantining the rest of
     * the file as one {@code corrupt_stream} record through this reader's sink and ledger.
     */
    @Override
    public Iterator<RawLine> records() {
        return new Iterator<>() {
            RawLine next;
            boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        RawLine raw = lines.next();
                        if (raw == null) {
                            done = true;
                        } else {
                            next = new RawLine(raw.number(), java.util.Arrays.copyOf(raw.bytes(), raw.length()),
                                    raw.length(), raw.oversized(), raw.fullLength());
                        }
                    } catch (IOException e) {
                        // a truncated or corrupt compressed stream cannot be resynchronized: quarantine the rest of
                        // the file as one record and end the file, so one bad shard does not stop a whole run
                        done = true;
                        ledger.input();
                        String where = file.getFileName() + ":" + (lines.lineNumber() + 1);
                        String detail = "unreadable after line " + lines.lineNumber() + ": " + e;
                        quarantine.accept(new QuarantineRecord(file.toString(), lines.lineNumber() + 1, "corrupt_stream",
                                detail, null, null));
                        ledger.removed(where, "corrupt_stream", detail);
                    }
                }
                return next != null;
            }

            @Override
            public RawLine next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                RawLine l = next;
                next = null;
                return l;
            }
        };
    }

    /**
     * One line as a document, or null when it is quarantined (recorded in {@code quarantine} and {@code ledger}
     * with the reason). Safe to call from several threads at once, each with its own sink and ledger.
     */
    @Override
    public Document parse(RawLine raw, QuarantineSink quarantine, StepLedger ledger) {
        ledger.input();
        String where = file.getFileName() + ":" + raw.number();
        if (raw.oversized()) {
            return reject(raw, where, "oversized_line",
                    raw.fullLength() + " bytes exceed maxLineBytes " + config.maxLineBytes(), null, null, quarantine, ledger);
        }
        int start = raw.number() == 1 && raw.length() >= 3 && (raw.bytes()[0] & 0xff) == 0xEF
                && (raw.bytes()[1] & 0xff) == 0xBB && (raw.bytes()[2] & 0xff) == 0xBF ? 3 : 0; // UTF-8 BOM
        ByteBuffer bytes = ByteBuffer.wrap(raw.bytes(), start, raw.length() - start);
        CharBuffer chars = CharBuffer.allocate(raw.length());
        CharsetDecoder decoder = DECODER.get();
        decoder.reset();
        CoderResult cr = decoder.decode(bytes, chars, true);
        if (cr.isUnderflow()) {
            cr = decoder.flush(chars);
        }
        if (cr.isError()) {
            byte[] copy = java.util.Arrays.copyOf(raw.bytes(), raw.length());
            return reject(raw, where, "invalid_utf8", "invalid UTF-8 at line " + raw.number() + ", byte offset "
                    + bytes.position() + " (" + cr + ")", null, Base64.getEncoder().encodeToString(copy), quarantine, ledger);
        }
        String line = chars.flip().toString();
        if (line.isBlank()) {
            ledger.removed(where, "blank_line", null);
            return null;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return reject(raw, where, "malformed_json", "line " + raw.number() + ": " + e.getOriginalMessage(), line, null,
                    quarantine, ledger);
        }
        if (node == null || !node.isObject()) {
            return reject(raw, where, "not_an_object", "line " + raw.number() + " is not a JSON object", line, null,
                    quarantine, ledger);
        }
        JsonNode text = node.get(config.textKey());
        if (text == null || !text.isTextual()) {
            return reject(raw, where, "missing_text",
                    "line " + raw.number() + " has no string field '" + config.textKey() + "'", line, null, quarantine, ledger);
        }
        if (text.textValue().length() > config.maxDocumentChars()) {
            return reject(raw, where, "oversized_document", "line " + raw.number() + ": " + text.textValue().length()
                    + " chars exceed maxDocumentChars " + config.maxDocumentChars(), null, null, quarantine, ledger);
        }
        JsonNode idNode = node.get(config.idKey());
        String id = idNode != null && !idNode.isNull() ? idNode.asText() : where;
        Map<String, Object> meta = new LinkedHashMap<>();
        var fields = node.properties();
        for (Map.Entry<String, JsonNode> f : fields) {
            String k = f.getKey();
            if (k.equals(config.textKey()) || k.equals(config.idKey()) || f.getValue().isNull()) {
                continue;
            }
            if (k.equals("metadata") && f.getValue().isObject()) {
                f.getValue().properties().forEach(m -> {
                    if (!m.getValue().isNull()) {
                        meta.put(m.getKey(), Json.MAPPER.convertValue(m.getValue(), Object.class));
                    }
                });
            } else {
                meta.put(k, Json.MAPPER.convertValue(f.getValue(), Object.class));
            }
        }
        ledger.kept();
        return new Document(id, text.textValue(), meta);
    }

    private Document reject(RawLine raw, String where, String reason, String detail, String line, String b64,
                            QuarantineSink quarantine, StepLedger ledger) {
        quarantine.accept(new QuarantineRecord(file.toString(), raw.number(), reason, detail, line, b64));
        ledger.removed(where, reason, detail);
        return null;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + file + " failed", e);
        }
    }

}
