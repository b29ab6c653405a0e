package org.llama3j.safety.codeshield;

import java.util.List;
import java.util.Set;

/**
 * One insecure-code rule, loaded from {@code codeshield/rules/<lang>.yaml}.
 *
 * @param languages the languages it applies to; empty means every language (secrets)
 * @param source    the resource it came from, for error messages
 */
public record Rule(String id, Set<Language> languages, String cwe, Severity severity, String description,
                   RuleMatcher matcher, List<String> positiveExamples, List<String> negativeExamples, String source) {
    public Rule {
        languages = Set.copyOf(languages);
        positiveExamples = List.copyOf(positiveExamples);
        negativeExamples = List.copyOf(negativeExamples);
    }

    public boolean appliesTo(Language language) {
        return languages.isEmpty() || language == Language.UNKNOWN || languages.contains(language);
    }

    /** The language its examples are written in: the first of its languages, UNKNOWN for any-language rules. */
    public Language exampleLanguage() {
        return languages.stream().min(java.util.Comparator.naturalOrder()).orElse(Language.UNKNOWN);
    }
}
