package org.llama3j.safety.guard;

import java.util.List;
import java.util.Objects;

/**
 * Builds Llama Guard classification prompts byte-exact to the published templates
 * (see {@link GuardVersion} for the sources). Immutable; {@code with*} return copies.
 */
public final class GuardPromptBuilder {
    /** Category codes are "S1", "S2", ... for Llama Guard 2 and 3 (llama-recipes' short-name prefix). */
    private static final String CATEGORY_PREFIX = "S";

    private final GuardVersion version;
    private final List<SafetyCategory> categories;
    private final boolean withPolicy;

    private GuardPromptBuilder(GuardVersion version, List<SafetyCategory> categories, boolean withPolicy) {
        this.version = version;
        this.categories = categories;
        this.withPolicy = withPolicy;
    }

    public static GuardPromptBuilder of(GuardVersion version) {
        Objects.requireNonNull(version, "version");
        return new GuardPromptBuilder(version, version.defaultCategories(), false);
    }

    /** Replaces the category list (numbered S1..Sn in the given order). */
    public GuardPromptBuilder withCategories(List<SafetyCategory> custom) {
        if (custom == null || custom.isEmpty()) {
            throw new GuardPromptException("category list is empty: Llama Guard needs at least one category");
        }
        return new GuardPromptBuilder(version, List.copyOf(custom), withPolicy);
    }

    /** Whether each category line is followed by its description (llama-recipes' {@code with_policy}). */
    public GuardPromptBuilder withPolicy(boolean include) {
        return new GuardPromptBuilder(version, categories, include);
    }

    public List<SafetyCategory> categories() {
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
        for (int i = 0; i < categories.size(); i++) {
            SafetyCategory c = categories.get(i);
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(CATEGORY_PREFIX).append(i + 1).append(": ").append(c.name());
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
