package org.llama3j.safety.codeshield.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.llama3j.safety.codeshield.CodeShield;
import org.llama3j.safety.codeshield.CodeShieldConfig;
import org.llama3j.safety.codeshield.Language;
import org.llama3j.safety.codeshield.ScanResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Code Shield scan latency on 2 KB snippets (sample-time mode: JMH reports p50/p90/p99 per snippet).
 * Run: {@code scripts/codeshield-bench.sh}. Not part of {@code mvn verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodeShieldScanBenchmark {
    /** Snippet size the latency is quoted for. */
    static final int SIZE = 2048;

    @Param({"python", "java", "javascript", "c", "markdown-unknown"})
    public String snippet;

    private CodeShield shield;
    private String code;
    private Language language;

    @Setup(Level.Trial)
    public void setup() {
        // no budget: measure the scan, never a fail-closed shortcut
        shield = CodeShield.withConfig(CodeShieldConfig.defaults().withTimeBudget(Duration.ofSeconds(10)));
        code = snippet(snippet);
        language = switch (snippet) {
            case "markdown-unknown" -> null; // fences + language detection
            default -> Language.fromName(snippet).orElseThrow();
        };
    }

    @Benchmark
    public ScanResult scan() {
        return language == null ? shield.scan(code) : shield.scan(code, language);
    }

    /** About 2 KB of typical generated code, a few insecure lines among ordinary ones. */
    static String snippet(String name) {
        String lines = switch (name) {
            case "python" -> """
                    import os, subprocess, hashlib
                    def handler(request):
                        user = request.args.get("user")
                        rows = db.execute("SELECT * FROM t WHERE name = '%s'" % user)
                        digest = hashlib.sha256(user.encode()).hexdigest()
                        subprocess.run(["ls", "-l", user], check=True)
                        return {"rows": [dict(r) for r in rows], "digest": digest}
                    """;
            case "java" -> """
                    public final class Service {
                        private final DataSource ds;
                        Service(DataSource ds) { this.ds = ds; }
                        List<String> find(String name) throws SQLException {
                            try (Connection c = ds.getConnection();
                                 PreparedStatement ps = c.prepareStatement("SELECT n FROM t WHERE n = ?")) {
                                ps.setString(1, name);
                                MessageDigest md = MessageDigest.getInstance("SHA-256");
                                return List.of(name);
                            }
                        }
                    }
                    """;
            case "javascript" -> """
                    const express = require('express');
                    const app = express();
                    app.get('/u/:id', async (req, res) => {
                      const user = await db.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
                      document.getElementById('out').textContent = user.name;
                      res.json({ ok: true, user });
                    });
                    """;
            case "c" -> """
                    #include <stdio.h>
                    #include <string.h>
                    int copy_name(char *dst, size_t n, const char *src) {
                        if (strlen(src) >= n) return -1;
                        strncpy(dst, src, n - 1);
                        dst[n - 1] = '\\0';
                        printf("%s\\n", dst);
                        return 0;
                    }
                    """;
            default -> """
                    Here is how to do it:

                    ```
                    import os
                    def run(cmd):
                        os.system(cmd)
                        return open("/tmp/x").read()
                    ```

                    This runs the command and returns the output.
                    """;
        };
        StringBuilder sb = new StringBuilder(SIZE + lines.length());
        while (sb.length() < SIZE) {
            sb.append(lines);
        }
        return sb.substring(0, SIZE);
    }
}
