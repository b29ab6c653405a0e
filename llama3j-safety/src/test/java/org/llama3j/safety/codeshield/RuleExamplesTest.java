package org.llama3j.safety.codeshield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bundled rule must find its positive examples and stay silent on its negative ones. */
class RuleExamplesTest {
    /** Generous budget: a loaded test machine must not turn a slow scan into a fail-closed BLOCK. */
    private static final CodeShield SHIELD = CodeShield.withConfig(
            CodeShieldConfig.defaults().withTimeBudget(java.time.Duration.ofSeconds(10)));

    static Stream<Named<Rule>> rules() {
        return CodeShield.defaults().rules().stream().map(r -> Named.of(r.id(), r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleFindsPositivesAndSparesNegatives(Rule rule) {
        Language lang = rule.exampleLanguage();
        for (String example : rule.positiveExamples()) {
            assertFalse(CodeShield.findings(rule, example, lang).isEmpty(),
                    rule.id() + " must flag its positive example:\n" + example);
            // through the whole pipeline too: the finding survives deduplication under this rule's id
            ScanResult full = SHIELD.scan(example, lang);
            assertTrue(full.findings().stream().anyMatch(f -> f.ruleId().equals(rule.id())
                            || (lang == Language.UNKNOWN && f.cwe().equals(rule.cwe()))),
                    rule.id() + " missing from full scan of:\n" + example + "\n" + full);
        }
        for (String example : rule.negativeExamples()) {
            assertEquals(List.of(), CodeShield.findings(rule, example, lang),
                    rule.id() + " must not flag its negative example:\n" + example);
        }
    }

    @Test
    void ruleCountsPerLanguage() {
        List<Rule> all = CodeShield.defaults().rules();
        Map<String, Long> perFile = all.stream().collect(Collectors.groupingBy(Rule::source, Collectors.counting()));
        System.out.println("rules: " + all.size() + " " + perFile);
        assertTrue(all.size() >= 150, "expected at least 150 rules, found " + all.size());
        assertEquals(11, perFile.size(), "one rule file per language plus secrets: " + perFile.keySet());
        perFile.forEach((file, n) -> assertTrue(n >= 5, file + " has only " + n + " rules"));
    }
}
