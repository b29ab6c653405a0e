package org.llama3j.safety.codeshield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeShieldScanTest {
    /** Generous budget: a loaded test machine must not turn a slow scan into a fail-closed BLOCK. */
    private final CodeShield shield = CodeShield.withConfig(CodeShieldConfig.defaults().withTimeBudget(Duration.ofSeconds(10)));

    private static List<String> ids(ScanResult r) {
        return r.findings().stream().map(Finding::ruleId).toList();
    }

    @Test
    void unknownLanguageReportsEachWeaknessOnce() {
        String code = "Cipher c = Cipher.getInstance(\"AES\");";
        // the Java and the Kotlin rule both match this line on their own...
        long matchingRules = shield.rules().stream()
                .filter(r -> !CodeShield.findings(r, code, Language.UNKNOWN).isEmpty()).count();
        assertEquals(2, matchingRules);
        // ...but an unknown-language scan reports the weakness once
        ScanResult r = shield.scan(code, Language.UNKNOWN);
        assertEquals(1, r.findings().size(), r.toString());
        assertEquals("CWE-327", r.findings().getFirst().cwe());
        assertEquals(Treatment.WARN, r.treatment());
    }

    @Test
    void unlabelledSnippetIsScannedOnceInTheDetectedLanguage() {
        String code = """
                import java.security.MessageDigest;
                public class H {
                    public static void main(String[] args) throws Exception {
                        MessageDigest md = MessageDigest.getInstance("MD5");
                        Runtime.getRuntime().exec(args[0]);
                    }
                }
                """;
        ScanResult r = shield.scan(code);
        assertEquals(Language.JAVA, r.language());
        assertEquals(List.of("java-weak-hash", "java-runtime-exec"), ids(r));
        assertEquals(Treatment.BLOCK, r.treatment());
        Finding exec = r.findings().get(1);
        assertEquals(5, exec.line());
        assertEquals(9, exec.column());
        assertEquals("Runtime.getRuntime().exec(args[0]);", exec.snippet());
    }

    @Test
    void markdownFencesAreScannedInTheirOwnLanguageWithDocumentLines() {
        String md = """
                Here is how (do not eval(input) in prose):

                ```python
                import os
                os.system("rm -rf " + path)
                ```

                And in the browser:

                ~~~js
                el.innerHTML = comment;
                ~~~

                ```bash
                eval "$cmd"
                ```

                ```text
                AKIAABCDEFGHIJKLMNOP
                ```
                A stray key in prose: AKIAQQQQQQQQQQQQQQQQ.
                """;
        ScanResult r = shield.scan(md);
        assertEquals(List.of("python-os-system", "js-inner-html-non-literal", "secret-aws-access-key-id",
                "secret-aws-access-key-id"), ids(r));
        assertEquals(List.of(5, 11, 19, 21), r.findings().stream().map(Finding::line).toList());
        assertEquals(23, r.findings().get(3).column());
        assertEquals(Language.PYTHON, r.findings().get(0).language());
        assertEquals(Language.JAVASCRIPT, r.findings().get(1).language());
        assertEquals(Language.UNKNOWN, r.language());
        assertEquals(Treatment.BLOCK, r.treatment());
    }

    @Test
    void typeScriptFenceUsesTheJavaScriptRules() {
        String md = "```ts\nconst el: HTMLElement = document.body;\nel.innerHTML = html as string;\n"
                + "const r = await query<Row>(`SELECT * FROM t WHERE id = ${id}`);\n```\n";
        ScanResult r = shield.scan(md);
        assertEquals(Language.JAVASCRIPT, r.language());
        assertEquals(List.of("js-inner-html-non-literal", "js-sql-string-built"), ids(r));
        assertEquals(List.of(3, 4), r.findings().stream().map(Finding::line).toList());
    }

    @Test
    void commentsAndStringsAreNotCode() {
        String py = """
                # os.system(cmd) would be bad
                msg = "never call os.system(cmd) or eval(x)"
                '''
                pickle.loads(data)
                '''
                """;
        ScanResult r = shield.scan(py, Language.PYTHON);
        assertEquals(List.of(), r.findings());
        assertFalse(r.insecure());
        assertEquals(Treatment.IGNORE, r.treatment());
    }

    @Test
    void treatmentFollowsWorstSeverity() {
        assertEquals(Treatment.BLOCK, shield.scan("os.system(cmd)", Language.PYTHON).treatment());
        ScanResult warn = shield.scan("h = hashlib.md5(x)", Language.PYTHON);
        assertEquals(Treatment.WARN, warn.treatment());
        assertTrue(warn.insecure());
        ScanResult info = shield.scan("int r = rand();", Language.C);
        assertEquals(List.of("c-insecure-random"), ids(info));
        assertEquals(Treatment.IGNORE, info.treatment());
        assertFalse(info.insecure());
        ScanResult clean = shield.scan("print('hello')", Language.PYTHON);
        assertEquals(List.of(), clean.findings());
        assertEquals(Treatment.IGNORE, clean.treatment());
    }

    @Test
    void errorSeverityRulesBlockInEveryLanguage() {
        // Meta's CodeShield never blocked Java error rules (severity compared as strings); ours must.
        assertEquals(Treatment.BLOCK, shield.scan("stmt.executeQuery(\"SELECT * FROM t WHERE a = \" + a);", Language.JAVA).treatment());
        assertEquals(Treatment.BLOCK, shield.scan("db.rawQuery(\"SELECT * FROM t WHERE a = $a\", null)", Language.KOTLIN).treatment());
    }

    @Test
    void failsClosedOnBudgetOverrun() {
        CodeShield tight = CodeShield.withConfig(CodeShieldConfig.defaults().withTimeBudget(Duration.ofNanos(1)));
        ScanResult r = tight.scan("x = 1\n".repeat(2000), Language.PYTHON);
        assertTrue(r.insecure());
        assertEquals(Treatment.BLOCK, r.treatment());
        assertEquals(List.of(Finding.INTERNAL_ERROR), ids(r));
        assertTrue(r.findings().getFirst().description().contains("time budget"), r.toString());
    }

    @Test
    void failsClosedOnOversizedInput() {
        CodeShield small = CodeShield.withConfig(CodeShieldConfig.defaults().withMaxInputChars(10));
        ScanResult r = small.scan("print('hello world')");
        assertEquals(Treatment.BLOCK, r.treatment());
        assertTrue(r.findings().getFirst().description().contains("exceeds the limit of 10"));
    }

    @Test
    void failOpenIsExplicitNotSilent() {
        CodeShield open = CodeShield.withConfig(CodeShieldConfig.defaults()
                .withTimeBudget(Duration.ofNanos(1)).withFailClosed(false));
        ScanResult r = open.scan("x = 1\n".repeat(2000), Language.PYTHON);
        assertFalse(r.insecure());
        assertEquals(Treatment.IGNORE, r.treatment());
        assertEquals(List.of(Finding.INTERNAL_ERROR), ids(r));
        assertEquals(Severity.INFO, r.findings().getFirst().severity());
    }

    @Test
    void memberExpressionsAreReportedAtTheirStart() {
        ScanResult r = shield.scan("  document.getElementById(\"out\").innerHTML = \"<b>\" + name;", Language.JAVASCRIPT);
        assertEquals(List.of("js-inner-html-non-literal"), ids(r));
        assertEquals(3, r.findings().getFirst().column());
    }

    @Test
    void longLinesGiveShortSnippetsAndFloodsAreCapped() {
        String line = "x = 1; ".repeat(2000) + "os.system(cmd); " + "y = 2; ".repeat(2000);
        Finding f = shield.scan(line, Language.PYTHON).findings().getFirst();
        assertEquals("python-os-system", f.ruleId());
        assertEquals(14001, f.column());
        assertTrue(f.snippet().length() <= SourceText.MAX_SNIPPET + 6, f.snippet());
        assertTrue(f.snippet().contains("os.system(cmd)"), f.snippet());
        ScanResult flood = shield.scan("os.system(a)\n".repeat(500), Language.PYTHON);
        assertEquals(CodeShield.MAX_FINDINGS_PER_RULE, flood.findings().size());
    }

    @Test
    void syntaxAwareArgumentChecks() {
        assertEquals(List.of(), ids(shield.scan("subprocess.run('ls -l', shell=True)", Language.PYTHON)));
        assertEquals(List.of("python-subprocess-shell-true"),
                ids(shield.scan("subprocess.run('ls ' + d, shell=True)", Language.PYTHON)));
        assertEquals(List.of(), ids(shield.scan("cur.execute('SELECT * FROM t WHERE a = %s', (a,))", Language.PYTHON)));
        assertEquals(List.of("python-sql-string-built"),
                ids(shield.scan("cur.execute('SELECT * FROM t WHERE a = %s' % a)", Language.PYTHON)));
        // a call spread over lines, with nested calls in its arguments
        assertEquals(List.of("python-pickle-load-untrusted"),
                ids(shield.scan("obj = pickle.loads(\n    base64.b64decode(request.args.get('p'))\n)", Language.PYTHON)));
    }
}
