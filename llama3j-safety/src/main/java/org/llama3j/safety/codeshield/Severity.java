package org.llama3j.safety.codeshield;

/** How bad a finding is; {@link #ERROR} findings make the scan's treatment BLOCK. */
public enum Severity {
    ERROR, WARNING, INFO;

    public static Severity parse(String s) {
        return switch (s == null ? "" : s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "error" -> ERROR;
            case "warning" -> WARNING;
            case "info" -> INFO;
            default -> throw new IllegalArgumentException("severity must be error, warning or info, got '" + s + "'");
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
