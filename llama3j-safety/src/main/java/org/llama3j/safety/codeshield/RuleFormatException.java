package org.llama3j.safety.codeshield;

/** A rule file that is not valid; the message names the file, the rule and the field. */
public final class RuleFormatException extends CodeShieldException {
    public RuleFormatException(String message) {
        super(message);
    }

    public RuleFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
