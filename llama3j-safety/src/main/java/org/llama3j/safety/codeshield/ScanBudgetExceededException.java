package org.llama3j.safety.codeshield;

/** The scan ran past its time budget. */
public final class ScanBudgetExceededException extends CodeShieldException {
    public ScanBudgetExceededException(String message) {
        super(message);
    }
}
