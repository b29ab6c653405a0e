package org.llama3j.safety.codeshield;

/** What the caller should do with the scanned code. */
public enum Treatment {
    /** At least one error-severity finding (or an internal error when failing closed). */
    BLOCK,
    /** Warning-severity findings only. */
    WARN,
    /** Nothing above info severity. */
    IGNORE;

    /**
     * Derived from the worst severity. Enum comparison on purpose: Meta's CodeShield compared
     * severity strings and never blocked some error rules; here ERROR is BLOCK by construction.
     */
    static Treatment of(java.util.Collection<Finding> findings) {
        Treatment t = IGNORE;
        for (Finding f : findings) {
            if (f.severity() == Severity.ERROR) {
                return BLOCK;
            }
            if (f.severity() == Severity.WARNING) {
                t = WARN;
            }
        }
        return t;
    }
}
