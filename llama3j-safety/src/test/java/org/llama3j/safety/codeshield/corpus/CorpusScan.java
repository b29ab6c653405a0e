package org.llama3j.safety.codeshield.corpus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.llama3j.safety.codeshield.CodeShield;
import org.llama3j.safety.codeshield.CodeShieldConfig;
import org.llama3j.safety.codeshield.Finding;
import org.llama3j.safety.codeshield.Language;
import org.llama3j.safety.codeshield.Severity;

/**
 * Precision review helper (not a test; run by hand, see scripts/codeshield-corpus-review.sh):
 * scans the JDK's {@code src.zip} (Java) and a Python standard library directory with Code Shield,
 * writes every finding as TSV, per-rule counts, and a seeded sample of the warning and error findings with ±2 lines of
 * context for manual true/false-positive review.
 *
 * <p>Arguments: {@code SRC_ZIP PYTHON_DIR OUT_DIR [SAMPLE_SIZE] [SEED]}.
 */
public final class CorpusScan {
    private record Hit(String corpus, String file, Finding finding, List<String> context) {
    }

    public static void main(String[] args) throws IOException {
        Path srcZip = Path.of(args[0]);
        Path pyDir = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int sample = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 20261129L;
        Files.createDirectories(out);
        // a generous budget: this measures rule precision, not latency
        CodeShield shield = CodeShield.withConfig(CodeShieldConfig.defaults()
                .withTimeBudget(Duration.ofSeconds(20)).withMaxInputChars(8 << 20));
        List<Hit> hits = new ArrayList<>();
        int[] files = new int[2];
        long[] chars = new long[2];
        try (ZipFile zip = new ZipFile(srcZip.toFile())) {
            List<? extends ZipEntry> entries = zip.stream().filter(e -> e.getName().endsWith(".java")).toList();
            for (ZipEntry e : entries) {
                String code = new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
                files[0]++;
                chars[0] += code.length();
                scan(shield, "jdk", e.getName(), code, Language.JAVA, hits);
            }
        }
        List<Path> pyFiles;
        try (Stream<Path> s = Files.walk(pyDir)) {
            pyFiles = s.filter(p -> p.toString().endsWith(".py") && Files.isRegularFile(p)).sorted().toList();
        }
        for (Path p : pyFiles) {
            String code;
            try {
                code = Files.readString(p, StandardCharsets.UTF_8);
            } catch (java.nio.charset.MalformedInputException ex) {
                code = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            }
            files[1]++;
            chars[1] += code.length();
            scan(shield, "python", pyDir.relativize(p).toString(), code, Language.PYTHON, hits);
        }
        Map<String, int[]> perRule = new TreeMap<>();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("findings.tsv")))) {
            w.println("corpus\tfile\tline\trule\tseverity\tcwe\tsnippet");
            for (Hit h : hits) {
                Finding f = h.finding();
                w.println(String.join("\t", h.corpus(), h.file(), String.valueOf(f.line()), f.ruleId(),
                        f.severity().label(), f.cwe(), f.snippet().replace('\t', ' ')));
                perRule.computeIfAbsent(f.ruleId(), k -> new int[2])[h.corpus().equals("jdk") ? 0 : 1]++;
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("rules.tsv")))) {
            w.printf("# jdk: %d files, %d chars; python: %d files, %d chars; %d findings%n",
                    files[0], chars[0], files[1], chars[1], hits.size());
            w.println("rule\tjdk\tpython");
            perRule.entrySet().stream()
                    .sorted((a, b) -> Integer.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                    .forEach(e -> w.println(e.getKey() + "\t" + e.getValue()[0] + "\t" + e.getValue()[1]));
        }
        // the sample is drawn from the findings that change a verdict (warning or error: ScanResult.insecure());
        // info findings are advisory and counted in rules.tsv only
        List<Hit> pool = new ArrayList<>(hits.stream().filter(h -> h.finding().severity() != Severity.INFO).toList());
        java.util.Collections.shuffle(pool, new Random(seed));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("sample.txt")))) {
            for (int i = 0; i < Math.min(sample, pool.size()); i++) {
                Hit h = pool.get(i);
                Finding f = h.finding();
                w.printf("#%d %s %s:%d %s (%s, %s)%n", i + 1, h.corpus(), h.file(), f.line(), f.ruleId(),
                        f.severity().label(), f.cwe());
                h.context().forEach(l -> w.println("    | " + l));
                w.println();
            }
        }
        System.out.printf("jdk %d files, python %d files, %d findings -> %s%n", files[0], files[1], hits.size(), out);
    }

    private static void scan(CodeShield shield, String corpus, String file, String code, Language lang, List<Hit> hits) {
        List<Finding> found = shield.scan(code, lang).findings();
        if (found.isEmpty()) {
            return;
        }
        String[] lines = code.split("\n", -1);
        for (Finding f : found) {
            List<String> ctx = new ArrayList<>();
            for (int l = Math.max(1, f.line() - 2); l <= Math.min(lines.length, f.line() + 2); l++) {
                String text = lines[l - 1];
                ctx.add((l == f.line() ? ">" : " ") + l + ": " + (text.length() > 160 ? text.substring(0, 160) + "..." : text));
            }
            hits.add(new Hit(corpus, file, f, ctx));
        }
    }
}
