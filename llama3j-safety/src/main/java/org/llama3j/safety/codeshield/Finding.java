package org.llama3j.safety.codeshield;

/**
 * One rule match. {@code line} and {@code column} are 1-based, in the scanned text as given
 * (for Markdown, in the whole document, not in the fenced block).
 */
public record Finding(String ruleId, String cwe, Severity severity, Language language, String description,
                      int line, int column, String snippet) {
    /** Rule id of the finding a scan reports when it could not complete. */
    public static final String INTERNAL_ERROR = "internal_error";
}
