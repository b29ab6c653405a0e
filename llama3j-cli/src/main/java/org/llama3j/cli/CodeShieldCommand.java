package org.llama3j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.llama3j.safety.codeshield.CodeShield;
import org.llama3j.safety.codeshield.CodeShieldConfig;
import org.llama3j.safety.codeshield.Finding;
import org.llama3j.safety.codeshield.Language;
import org.llama3j.safety.codeshield.ScanResult;
import org.llama3j.safety.codeshield.Treatment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code llama3j codeshield [FILE|-] [--lang L] [--format json|text] [--time-budget-ms MS]}: scans code (or Markdown
 * with fenced code) for insecure patterns. Exit code 1 when the result is BLOCK, 0 otherwise,
 * 2 on usage or I/O errors.
 */
@Command(name = "codeshield", mixinStandardHelpOptions = true,
        description = "Scan code or Markdown for insecure code (Code Shield). Exit 1 when blocked.")
public final class CodeShieldCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_BLOCKED = 1;
    static final int EXIT_USAGE = 2;

    enum Format { json, text }

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", defaultValue = "-",
            description = "File to scan; '-' (default) reads standard input.")
    String file;

    @Option(names = "--lang", paramLabel = "L",
            description = "Language: c, cpp, csharp, java, javascript (ts), php, python, rust, go, kotlin; "
                    + "default: fences' info strings, else detected.")
    String lang;

    @Option(names = "--format", defaultValue = "text", description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--time-budget-ms", paramLabel = "MS", defaultValue = "50",
            description = "Scan time budget; past it the scan fails closed (BLOCK). Default: ${DEFAULT-VALUE}.")
    long timeBudgetMs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Language language = null;
        if (lang != null) {
            language = Language.fromName(lang).orElse(null);
            if (language == null) {
                err.println("codeshield: unknown language '" + lang + "'");
                return EXIT_USAGE;
            }
        }
        String code;
        try {
            code = file.equals("-") ? readAll(System.in) : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            err.println("codeshield: cannot read " + (file.equals("-") ? "standard input" : file) + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        if (timeBudgetMs <= 0) {
            err.println("codeshield: --time-budget-ms must be positive, got " + timeBudgetMs);
            return EXIT_USAGE;
        }
        CodeShield shield = CodeShield.withConfig(
                CodeShieldConfig.defaults().withTimeBudget(Duration.ofMillis(timeBudgetMs)));
        ScanResult result = language == null ? shield.scan(code) : shield.scan(code, language);
        if (format == Format.json) {
            out.println(json(result));
        } else {
            text(result, out);
        }
        out.flush();
        return result.treatment() == Treatment.BLOCK ? EXIT_BLOCKED : EXIT_OK;
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private void text(ScanResult r, PrintWriter out) {
        String name = file.equals("-") ? "<stdin>" : file;
        out.printf("%s (%s, %d finding%s)%n", r.treatment(), r.language().id(), r.findings().size(),
                r.findings().size() == 1 ? "" : "s");
        for (Finding f : r.findings()) {
            out.printf("%s:%d:%d: %s [%s] %s %s%n", name, f.line(), f.column(), f.severity().label(), f.ruleId(),
                    f.cwe(), f.description());
            if (!f.snippet().isEmpty()) {
                out.println("    " + f.snippet());
            }
        }
    }

    static String json(ScanResult r) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("insecure", r.insecure());
        root.put("treatment", r.treatment().name());
        root.put("language", r.language().id());
        ArrayNode findings = root.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode n = findings.addObject();
            n.put("rule", f.ruleId());
            n.put("cwe", f.cwe());
            n.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            n.put("language", f.language().id());
            n.put("line", f.line());
            n.put("column", f.column());
            n.put("snippet", f.snippet());
            n.put("description", f.description());
        }
        return root.toString();
    }
}
