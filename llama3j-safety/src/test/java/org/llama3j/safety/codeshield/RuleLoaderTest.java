package org.llama3j.safety.codeshield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleLoaderTest {
    private static final String VALID_RULE = """
              - id: x-rule
                cwe: CWE-78
                severity: error
                description: d
                pattern: 'bad\\('
                positive: ['bad(1)']
                negative: ['good(1)']
            """;

    private static List<Rule> load(String yaml) throws Exception {
        return new RuleLoader().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void loadsAValidRule() throws Exception {
        List<Rule> rules = load("language: python\nrules:\n" + VALID_RULE);
        assertEquals(1, rules.size());
        assertEquals(Severity.ERROR, rules.getFirst().severity());
        assertEquals(java.util.Set.of(Language.PYTHON), rules.getFirst().languages());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            'severity: error'                 | 'severity: fatal'          | severity must be error, warning or info
            'cwe: CWE-78'                     | 'cwe: 78'                  | cwe must look like CWE-78
            'pattern: ''bad\\('''             | 'pattern: ''bad('''        | invalid RE2 regular expression
            'pattern: ''bad\\('''             | 'pattern: ''(?=x)bad'''    | invalid RE2 regular expression
            'id: x-rule'                      | 'id: X Rule'               | id must be lower-case
            'negative: [''good(1)'']'         | 'negative: []'             | 'negative' must list at least one example
            'description: d'                  | 'descripton: d'            | unknown field 'descripton'
            """)
    void rejectsDefectsNamingFileRuleAndField(String from, String to, String message) {
        String yaml = "language: python\nrules:\n" + VALID_RULE.replace(from, to);
        RuleFormatException e = assertThrows(RuleFormatException.class, () -> load(yaml));
        assertTrue(e.getMessage().contains("test.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void rejectsUnknownLanguageAndMissingMatcher() {
        RuleFormatException lang = assertThrows(RuleFormatException.class, () -> load("language: cobol\nrules:\n" + VALID_RULE));
        assertTrue(lang.getMessage().contains("unknown language 'cobol'"));
        RuleFormatException none = assertThrows(RuleFormatException.class,
                () -> load("language: c\nrules:\n" + VALID_RULE.replace("    pattern: 'bad\\('\n", "")));
        assertTrue(none.getMessage().contains("exactly one of 'pattern', 'call', 'assign'"), none.getMessage());
    }

    @Test
    void prefilterWordsAreDerivedConservatively() {
        assertEquals(List.of("hashlib"), LiteralPrefilter.of("\\bhashlib\\.(md5|sha1)\\s*\\(").anyOf());
        assertEquals(List.of("md5", "sha1"), LiteralPrefilter.of("(?i)\\b(MD5|SHA1)\\(").anyOf());
        assertEquals(List.of("http"), LiteralPrefilter.of("https?://x").anyOf());
        // an alternative with no required word means no prefilter at all
        assertEquals(List.of(), LiteralPrefilter.of("foo|\\d+").anyOf());
        assertEquals(List.of(), LiteralPrefilter.of("(foo)?bar?").anyOf());
    }
}
