package org.llama3j.safety.guard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds Llama Guard classification prompts byte-exact to the published templates
 * (see {@link GuardVersion} for the sources). Immutable; {@code with*} return copies.
 */
public final class GuardPromptBuilder {
    /** Category codes are "S1", "S2", ... for Llama Guard 2 and 3 (llama-recipes' short-name prefix). */
    private static final String CATEGORY_PREFIX = "S";

    private final GuardVersion version;
    /** Code ("S1") to category, in prompt order; codes survive exclusions, as in Meta's llama-stack. */
    private final Map<String, SafetyCategory> categories;
    private final boolean withPolicy;

    private GuardPromptBuilder(GuardVersion version, Map<String, SafetyCategory> categories, boolean withPolicy) {
        this.version = version;
        this.categories = categories;
        this.withPolicy = withPolicy;
    }

    public static GuardPromptBuilder of(GuardVersion version) {
        Objects.requireNonNull(version, "version");
        return new GuardPromptBuilder(version, numbered(version.defaultCategories()), false);
    }

    private static Map<String, SafetyCategory> numbered(List<SafetyCategory> list) {
        Map<String, SafetyCategory> m = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            m.put(CATEGORY_PREFIX + (i + 1), Objects.requireNonNull(list.get(i), "category " + (i + 1)));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Replaces the category list (numbered S1..Sn in the given order). */
    public GuardPromptBuilder withCategories(List<SafetyCategory> custom) {
        if (custom == null || custom.isEmpty()) {
            throw new GuardPromptException("category list is empty: Llama Guard needs at least one category");
        }
        return new GuardPromptBuilder(version, numbered(custom), withPolicy);
    }

    /**
     * Replaces the category list with categories under the given codes ("S1", "S7", ...), in map
     * order — for a custom taxonomy whose codes are fixed elsewhere.
     */
    public GuardPromptBuilder withCodedCategories(Map<String, SafetyCategory> coded) {
        if (coded == null || coded.isEmpty()) {
            throw new GuardPromptException("category list is empty: Llama Guard needs at least one category");
        }
        for (String code : coded.keySet()) {
            if (code == null || !code.matches(CATEGORY_PREFIX + "[1-9][0-9]?")) {
                throw new GuardPromptException("category code '" + code + "' must be " + CATEGORY_PREFIX + "<number>");
            }
        }
        return new GuardPromptBuilder(version, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(coded)), withPolicy);
    }

    /** The prompt format. */
    public GuardVersion version() {
        return version;
    }

    /**
     * Leaves out categories by code ("S6"); the others keep their codes (so "S5" may be followed
     * by "S7"), matching Meta's excluded-categories handling. Unknown codes and excluding every
     * category are errors.
     */
    public GuardPromptBuilder excluding(Set<String> codes) {
        for (String c : codes) {
            if (!categories.containsKey(c)) {
                throw new GuardPromptException("cannot exclude category '" + c + "': present codes are " + categories.keySet());
            }
        }
        Map<String, SafetyCategory> kept = new LinkedHashMap<>(categories);
        kept.keySet().removeAll(codes);
        if (kept.isEmpty()) {
            throw new GuardPromptException("excluding " + codes + " leaves no category");
        }
        return new GuardPromptBuilder(version, java.util.Collections.unmodifiableMap(kept), withPolicy);
    }

    /** Whether each category line is followed by its description (llama-recipes' {@code with_policy}). */
    public GuardPromptBuilder withPolicy(boolean include) {
        return new GuardPromptBuilder(version, categories, include);
    }

    /** Code to category, in prompt order. */
    public Map<String, SafetyCategory> categories() {
        return categories;
    }

    public String build(String... messages) {
        return build(Conversation.of(messages));
    }

    public String build(Conversation conversation) {
        Objects.requireNonNull(conversation, "conversation");
        String role = conversation.assessedRole().label();
        StringBuilder sb = new StringBuilder(1024);
        sb.append(version.prefix())
                .append("Task: Check if there is unsafe content in '").append(role)
                .append("' messages in conversations according our safety policy with the below categories.")
                .append("\n\n<BEGIN UNSAFE CONTENT CATEGORIES>\n");
        boolean first = true;
        for (Map.Entry<String, SafetyCategory> e : categories.entrySet()) {
            if (!first) {
                sb.append('\n');
            }
            first = false;
            SafetyCategory c = e.getValue();
            sb.append(e.getKey()).append(": ").append(c.name());
            if (withPolicy && !c.description().isEmpty()) {
                sb.append('\n').append(c.description());
            }
        }
        sb.append("\n<END UNSAFE CONTENT CATEGORIES>\n")
                .append("\n<BEGIN CONVERSATION>\n\n");
        List<GuardMessage> turns = conversation.messages();
        for (int i = 0; i < turns.size(); i++) {
            if (i > 0) {
                sb.append("\n\n");
            }
            sb.append(turns.get(i).role().label()).append(": ").append(turns.get(i).content());
        }
        sb.append("\n\n<END CONVERSATION>\n")
                .append("\nProvide your safety assessment for ONLY THE LAST ").append(role)
                .append(" message in the above conversation:\n")
                .append(" - First line must read 'safe' or 'unsafe'.\n")
                .append(" - If unsafe, a second line must include a comma-separated list of violated categories.")
                .append(version.suffix());
        return sb.toString();
    }
}
