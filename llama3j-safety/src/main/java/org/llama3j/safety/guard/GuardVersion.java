package org.llama3j.safety.guard;

import java.util.List;

/**
 * The published Llama Guard prompt formats.
 *
 * <p>Llama Guard 2: {@code PROMPT_TEMPLATE_2} and {@code LLAMA_GUARD_2_CATEGORY} of llama-recipes
 * {@code src/llama_recipes/inference/prompt_format_utils.py} — wrapped in {@code [INST] ... [/INST]},
 * category names ending in ". " (trailing space kept, as published).
 *
 * <p>Llama Guard 3: the chat template shipped with meta-llama/Llama-Guard-3-8B, also built by
 * Meta's llama-stack {@code llama_guard.py} ({@code PROMPT_TEMPLATE}) — the same body in the Llama 3
 * chat format: user header and blank line, category names ending in "." with no trailing space,
 * a space before {@code <|eot_id|>}, then the open assistant header and its blank line (as the chat
 * template's generation prompt adds; llama-stack leaves the blank line out).
 */
public enum GuardVersion {
    LLAMA_GUARD_2("[INST] ", " [/INST]", List.of(
            "Violent Crimes. ", "Non-Violent Crimes. ", "Sex Crimes. ", "Child Exploitation. ",
            "Specialized Advice. ", "Privacy. ", "Intellectual Property. ", "Indiscriminate Weapons. ",
            "Hate. ", "Self-Harm. ", "Sexual Content. ")),
    LLAMA_GUARD_3(Llama3Chat.PREFIX, Llama3Chat.SUFFIX, Llama3Chat.CATEGORIES),
    /** Llama Guard 3 1B: the Llama Guard 3 format without S14 (llama-stack's LG_3_1B category list). */
    LLAMA_GUARD_3_1B(Llama3Chat.PREFIX, Llama3Chat.SUFFIX, Llama3Chat.CATEGORIES.subList(0, 13));

    /** The Llama 3 chat wrapping and categories of the Llama Guard 3 prompt. */
    private static final class Llama3Chat {
        static final String PREFIX = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n";
        static final String SUFFIX = " <|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
        static final List<String> CATEGORIES = List.of(
                "Violent Crimes.", "Non-Violent Crimes.", "Sex Crimes.", "Child Exploitation.", "Defamation.",
                "Specialized Advice.", "Privacy.", "Intellectual Property.", "Indiscriminate Weapons.", "Hate.",
                "Self-Harm.", "Sexual Content.", "Elections.", "Code Interpreter Abuse.");
    }

    private final String prefix;
    private final String suffix;
    private final List<SafetyCategory> categories;

    GuardVersion(String prefix, String suffix, List<String> names) {
        this.prefix = prefix;
        this.suffix = suffix;
        this.categories = names.stream().map(SafetyCategory::named).toList();
    }

    String prefix() {
        return prefix;
    }

    String suffix() {
        return suffix;
    }

    /** The default categories S1..Sn, in order. */
    public List<SafetyCategory> defaultCategories() {
        return categories;
    }
}
