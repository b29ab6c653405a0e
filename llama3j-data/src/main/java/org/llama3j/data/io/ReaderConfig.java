package org.llama3j.data.io;

/**
 * How JSONL input is interpreted.
 *
 * @param textKey          field holding the document text (datatrove's default is "text")
 * @param idKey            field holding the id; absent ids become {@code file:line}
 * @param maxDocumentChars longer texts are quarantined as {@code oversized_document}
 * @param maxLineBytes     longer raw lines are never buffered whole; they are quarantined as {@code oversized_line}
 */
public record ReaderConfig(String textKey, String idKey, long maxDocumentChars, int maxLineBytes) implements java.io.Serializable {

    public static final ReaderConfig DEFAULTS = new ReaderConfig("text", "id", 10_000_000L, 64 << 20);

    public ReaderConfig {
        if (maxLineBytes <= 0 || maxDocumentChars <= 0) {
            throw new IllegalArgumentException("maxLineBytes and maxDocumentChars must be positive");
        }
    }
}
