package org.llama3j.data;

/**
 * Why a document left the pipeline: the step that removed it, a short machine-countable reason
 * (e.g. {@code gopher_short_doc}), and an optional free-text detail (e.g. the id it duplicates).
 */
public record Removal(String step, String reason, String documentId, String detail) {
}
