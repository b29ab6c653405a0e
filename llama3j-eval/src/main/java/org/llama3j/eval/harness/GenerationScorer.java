package org.llama3j.eval.harness;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exact match and regex scoring of a greedy generation (lm-eval's {@code exact_match} after its
 * {@code regex} filter): without a regex the trimmed generation must equal the trimmed target;
 * with one, its first match (group 1 when the pattern has a group) must equal the target, or,
 * when the item has no target, the pattern must simply be found.
 */
public final class GenerationScorer {
    private GenerationScorer() {
    }

    public static boolean correct(TaskItem.Generation item, String generated) {
        if (item.regex().isEmpty()) {
            return generated.strip().equals(item.target().orElseThrow().strip());
        }
        Matcher m = Pattern.compile(item.regex().get()).matcher(generated);
        if (!m.find()) {
            return false;
        }
        if (item.target().isEmpty()) {
            return true;
        }
        String extracted = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
        return extracted.strip().equals(item.target().get().strip());
    }
}
