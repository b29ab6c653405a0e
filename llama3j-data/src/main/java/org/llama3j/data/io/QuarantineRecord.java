package org.llama3j.data.io;

/**
 * An input record that could not become a document. Exactly one of {@code raw} (the decoded line) and
 * {@code rawBase64} (the undecodable bytes) is set, except for oversized lines, which keep neither.
 *
 * @param reason one of {@code malformed_json}, {@code invalid_utf8}, {@code oversized_line},
 *               {@code oversized_document}, {@code missing_text}, {@code not_an_object},
 *               {@code corrupt_stream} (the unreadable rest of a truncated or corrupt compressed file)
 */
public record QuarantineRecord(String file, long line, String reason, String detail, String raw, String rawBase64) {
}
