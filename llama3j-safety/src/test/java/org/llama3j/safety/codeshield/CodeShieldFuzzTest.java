package org.llama3j.safety.codeshield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 10,000 seeded random and adversarial inputs: no exception escapes, no scan reports an internal
 * error (which is also how a blown time budget shows), every finding has a sane position. The
 * budget is 2 s rather than the default 50 ms so a loaded CI machine cannot make the test flaky;
 * catastrophic (super-linear) behaviour on the 20,000-character adversarial inputs would still
 * blow it.
 */
class CodeShieldFuzzTest {
    private static final int CASES = 10_000;
    private static final String[] ADVERSARIAL = {"(", ")", "\"", "'", "'''", "\"\"\"", "/*", "*/", "//", "#", "`", "${",
        "`${", "\\", "r#\"", "R\"(", "$\"{", "@\"", "<<<", "a.", "a->", "a::", "eval(", "exec(x,", "x = ", ".innerHTML = ",
        "-----BEGIN ", "AKIA", "```", "~~~", "```python\n", "{", "[", "<", "<T,", "f\"{", "\n", " ", "aaaaaaaa", "0o777",
        "password = \"", "shell=True,", "Command::new(", "'a", "/*/", "\r\n", "\u00e9", "\uD83D\uDE00", "\uD800", "\u0000"};

    @Test
    void randomAndAdversarialInputsNeverEscapeOrOverrun() {
        CodeShield shield = CodeShield.withConfig(CodeShieldConfig.defaults().withTimeBudget(Duration.ofSeconds(2)));
        List<String> examples = shield.rules().stream().flatMap(r -> r.positiveExamples().stream()).toList();
        Random rng = new Random(20261129L);
        Language[] langs = Language.values();
        long worst = 0;
        int withFindings = 0;
        for (int i = 0; i < CASES; i++) {
            String input = switch (i % 5) {
                case 0 -> randomAscii(rng);
                case 1 -> mutatedExamples(rng, examples);
                case 2 -> adversarial(rng);
                case 3 -> randomUnicode(rng);
                default -> markdown(rng, examples);
            };
            long start = System.nanoTime();
            ScanResult r;
            try {
                r = rng.nextBoolean() ? shield.scan(input) : shield.scan(input, langs[rng.nextInt(langs.length)]);
            } catch (RuntimeException | StackOverflowError e) {
                fail("case " + i + " threw " + e + " on input of " + input.length() + " chars");
                return;
            }
            worst = Math.max(worst, System.nanoTime() - start);
            for (Finding f : r.findings()) {
                if (f.ruleId().equals(Finding.INTERNAL_ERROR)) {
                    fail("case " + i + " (" + input.length() + " chars): " + f.description());
                }
                assertTrue(f.line() >= 1 && f.column() >= 1, "case " + i + ": bad position " + f);
            }
            assertEquals(Treatment.of(r.findings()), r.treatment());
            withFindings += r.findings().isEmpty() ? 0 : 1;
        }
        System.out.printf("fuzz: %d cases, %d with findings, slowest scan %.1f ms%n", CASES, withFindings, worst / 1e6);
        assertTrue(withFindings > CASES / 10, "mutated examples should still produce findings: " + withFindings);
    }

    private static String randomAscii(Random rng) {
        int len = (int) (Math.pow(rng.nextDouble(), 4) * 2500);
        StringBuilder sb = new StringBuilder(len);
        for (int k = 0; k < len; k++) {
            int c = rng.nextInt(100);
            sb.append(c < 5 ? '\n' : (char) (32 + rng.nextInt(95)));
        }
        return sb.toString();
    }

    private static String mutatedExamples(Random rng, List<String> examples) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + rng.nextInt(6);
        for (int k = 0; k < n; k++) {
            sb.append(examples.get(rng.nextInt(examples.size()))).append('\n');
        }
        int edits = rng.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 1; e++) {
            int at = rng.nextInt(sb.length());
            switch (rng.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ADVERSARIAL[rng.nextInt(ADVERSARIAL.length)]);
                default -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + rng.nextInt(20))));
            }
        }
        return sb.toString();
    }

    private static String adversarial(Random rng) {
        String unit = ADVERSARIAL[rng.nextInt(ADVERSARIAL.length)];
        String other = ADVERSARIAL[rng.nextInt(ADVERSARIAL.length)];
        // mostly short, occasionally up to 20,000 characters
        int target = rng.nextInt(100) == 0 ? 20_000 : rng.nextInt(1000);
        StringBuilder sb = new StringBuilder(target + 16);
        while (sb.length() < target) {
            sb.append(rng.nextInt(8) == 0 ? other : unit);
        }
        return sb.toString();
    }

    private static String randomUnicode(Random rng) {
        int len = (int) (Math.pow(rng.nextDouble(), 4) * 2500);
        StringBuilder sb = new StringBuilder(len);
        for (int k = 0; k < len; k++) {
            sb.append((char) rng.nextInt(0x10000));
        }
        return sb.toString();
    }

    private static String markdown(Random rng, List<String> examples) {
        String[] fences = {"```", "~~~", "````", "```python", "```js", "``` c++ {x}", "```unknown", "```\u00e9", "  ```go"};
        StringBuilder sb = new StringBuilder("Some prose.\n");
        int blocks = rng.nextInt(5);
        for (int b = 0; b < blocks; b++) {
            sb.append(fences[rng.nextInt(fences.length)]).append('\n')
                    .append(examples.get(rng.nextInt(examples.size()))).append('\n');
            if (rng.nextInt(4) != 0) {
                sb.append(rng.nextBoolean() ? "```" : "~~~").append('\n');
            }
            sb.append("text between\n");
        }
        return sb.toString();
    }
}
