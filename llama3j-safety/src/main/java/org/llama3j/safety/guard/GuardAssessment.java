package org.llama3j.safety.guard;

import java.util.List;
import java.util.Objects;

/**
 * What a model-backed guard decided about one message: the score (probability of {@code unsafe}
 * as the first token, and the threshold), the verdict, and the raw text the verdict was read from.
 *
 * <p>The decision is the score's: {@code safe == !score.unsafe()}. When the score says unsafe the
 * guard generates the category line; {@code raw} is {@code "unsafe"} plus that generated text, and
 * {@code verdictError} is non-null when that text did not parse (the verdict then stays unsafe with
 * no categories — fail closed). When the score says safe nothing is generated and {@code raw} is
 * {@code "safe"}.
 */
public record GuardAssessment(GuardScore score, GuardVerdict verdict, String raw, String verdictError) {
    public GuardAssessment {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(raw, "raw");
        if (verdict.safe() == score.unsafe()) {
            throw new IllegalArgumentException("verdict " + (verdict.safe() ? "safe" : "unsafe")
                    + " contradicts score " + score.unsafeProbability() + " at threshold " + score.threshold());
        }
    }

    public boolean safe() {
        return verdict.safe();
    }

    public List<String> categories() {
        return verdict.categories();
    }
}
