package org.llama3j.safety.codeshield;

import java.time.Duration;

/**
 * Scan settings. {@code failClosed}: an internal error (including a blown time budget or an
 * oversized input) yields BLOCK with an {@code internal_error} finding; when false it yields
 * IGNORE with an info-severity {@code internal_error} finding, never a silent pass.
 */
public record CodeShieldConfig(Duration timeBudget, boolean failClosed, int maxInputChars) {
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofMillis(50);
    public static final int DEFAULT_MAX_INPUT_CHARS = 1 << 20;

    public CodeShieldConfig {
        if (timeBudget == null || timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("time budget must be positive, got " + timeBudget);
        }
        if (maxInputChars <= 0) {
            throw new IllegalArgumentException("maxInputChars must be positive, got " + maxInputChars);
        }
    }

    public static CodeShieldConfig defaults() {
        return new CodeShieldConfig(DEFAULT_TIME_BUDGET, true, DEFAULT_MAX_INPUT_CHARS);
    }

    public CodeShieldConfig withTimeBudget(Duration budget) {
        return new CodeShieldConfig(budget, failClosed, maxInputChars);
    }

    public CodeShieldConfig withFailClosed(boolean closed) {
        return new CodeShieldConfig(timeBudget, closed, maxInputChars);
    }

    public CodeShieldConfig withMaxInputChars(int max) {
        return new CodeShieldConfig(timeBudget, failClosed, max);
    }
}
