package org.llama3j.safety.codeshield;

/** A rule file that cannot be loaded, or a scan that cannot complete. */
public class CodeShieldException extends RuntimeException {
    public CodeShieldException(String message) {
        super(message);
    }

    public CodeShieldException(String message, Throwable cause) {
        super(message, cause);
    }
}
