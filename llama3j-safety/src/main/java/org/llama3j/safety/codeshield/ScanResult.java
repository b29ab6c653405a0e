package org.llama3j.safety.codeshield;

import java.util.List;

/**
 * The outcome of one scan. {@code insecure} is true when any finding has error or warning
 * severity; {@code treatment} follows {@link Treatment#of}. {@code language} is the language the
 * code was scanned as ({@link Language#UNKNOWN} for mixed Markdown or undetected code).
 */
public record ScanResult(boolean insecure, Treatment treatment, Language language, List<Finding> findings) {
    public ScanResult {
        findings = List.copyOf(findings);
    }

    static ScanResult of(Language language, List<Finding> findings) {
        boolean insecure = findings.stream().anyMatch(f -> f.severity() != Severity.INFO);
        return new ScanResult(insecure, Treatment.of(findings), language, findings);
    }
}
