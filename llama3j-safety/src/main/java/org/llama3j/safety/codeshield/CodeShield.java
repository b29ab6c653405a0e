package org.llama3j.safety.codeshield;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The insecure-code scanner. Rules are loaded and compiled once ({@link #defaults()} shares one
 * instance); a scan tokenizes each code block once, runs the rules of its language plus the
 * language-agnostic ones, and reports each finding once.
 *
 * <p>Unlike Meta's CodeShield it fails closed: an internal error, a blown time budget or an
 * oversized input gives {@link Treatment#BLOCK} with an {@value Finding#INTERNAL_ERROR} finding
 * (configurable, see {@link CodeShieldConfig}).
 */
public final class CodeShield {
    /** Internal-error findings carry CWE-703 (improper check or handling of exceptional conditions). */
    static final String INTERNAL_ERROR_CWE = "CWE-703";

    private static final class DefaultRules {
        static final List<Rule> RULES = warmedUp(new RuleLoader().loadDefaults());

        /**
         * Scans every rule's examples once so the JIT and RE2/J caches are warm before the first
         * real scan; otherwise a cold first scan can overrun the 50 ms budget and fail closed.
         */
        private static List<Rule> warmedUp(List<Rule> rules) {
            CodeShield warm = new CodeShield(rules, CodeShieldConfig.defaults().withTimeBudget(java.time.Duration.ofSeconds(30)));
            for (Rule r : rules) {
                for (String example : r.positiveExamples()) {
                    warm.scan(example, r.exampleLanguage());
                    warm.scan(example);
                }
            }
            return rules;
        }
    }

    private final List<Rule> rules;
    private final CodeShieldConfig config;
    private final LanguageDetector detector = new LanguageDetector();

    public CodeShield(List<Rule> rules, CodeShieldConfig config) {
        this.rules = List.copyOf(rules);
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Bundled rules, default configuration (50 ms budget, fail closed). */
    public static CodeShield defaults() {
        return withConfig(CodeShieldConfig.defaults());
    }

    public static CodeShield withConfig(CodeShieldConfig config) {
        return new CodeShield(DefaultRules.RULES, config);
    }

    public List<Rule> rules() {
        return rules;
    }

    public CodeShieldConfig config() {
        return config;
    }

    /**
     * Scans text of unknown form: Markdown fenced blocks are scanned separately (language from the
     * fence info string, else detected); text without fences is one block of detected language.
     */
    public ScanResult scan(String code) {
        Objects.requireNonNull(code, "code");
        return guarded(code, () -> {
            ScanDeadline deadline = deadline();
            List<CodeBlock> blocks = MarkdownFences.blocks(code);
            boolean markdown = !blocks.isEmpty();
            if (!markdown) {
                blocks = List.of(new CodeBlock(null, false, code, 1));
            }
            List<Finding> all = new ArrayList<>();
            Set<Language> seen = new HashSet<>();
            for (CodeBlock b : blocks) {
                Language lang = b.language() != null ? b.language() : detector.detect(b.code());
                boolean agnosticOnly = b.labelled() && b.language() == null;
                seen.add(lang);
                all.addAll(scanBlock(b.code(), lang, agnosticOnly, b.firstLine(), deadline));
            }
            if (markdown) {
                // secrets in the prose around the fences leak just the same
                all.addAll(scanBlock(code, Language.UNKNOWN, true, 1, deadline));
                all = deduplicate(all, false);
            }
            return ScanResult.of(seen.size() == 1 ? seen.iterator().next() : Language.UNKNOWN, all);
        });
    }

    /** Scans {@code code} as {@code language} (no Markdown handling); UNKNOWN runs every rule set. */
    public ScanResult scan(String code, Language language) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(language, "language");
        return guarded(code, () -> ScanResult.of(language, scanBlock(code, language, false, 1, deadline())));
    }

    /** Runs one rule alone on {@code code} (used to check a rule's own examples). */
    public static List<Finding> findings(Rule rule, String code, Language language) {
        SourceText src = new SourceText(code, language, 1, ScanDeadline.unlimited());
        List<Finding> out = new ArrayList<>();
        run(rule, src, language, ScanDeadline.unlimited(), out);
        return out;
    }

    private ScanDeadline deadline() {
        return new ScanDeadline(config.timeBudget().toNanos());
    }

    private List<Finding> scanBlock(String code, Language lang, boolean agnosticOnly, int firstLine, ScanDeadline deadline) {
        SourceText src = new SourceText(code, lang, firstLine, deadline);
        List<Finding> raw = new ArrayList<>();
        for (Rule r : rules) {
            boolean applies = agnosticOnly ? r.languages().isEmpty() : r.appliesTo(lang);
            if (applies) {
                run(r, src, lang, deadline, raw);
                deadline.check();
            }
        }
        return deduplicate(raw, lang == Language.UNKNOWN);
    }

    /** Findings kept per rule and block: enough to act on, and pathological inputs cannot flood the result. */
    static final int MAX_FINDINGS_PER_RULE = 64;

    private static void run(Rule r, SourceText src, Language lang, ScanDeadline deadline, List<Finding> out) {
        int[] kept = {0};
        r.matcher().match(src, deadline, at -> {
            if (kept[0]++ < MAX_FINDINGS_PER_RULE) {
                out.add(new Finding(r.id(), r.cwe(), r.severity(), lang, r.description(),
                        src.line(at), src.column(at), src.lineText(at)));
            }
        });
    }

    /**
     * One finding per rule and position; with an unknown language (every rule set ran) also one per
     * line and CWE, keeping the most severe — the same weakness found by the C and the C++ rule is
     * one finding, not two.
     */
    private static List<Finding> deduplicate(List<Finding> raw, boolean acrossLanguages) {
        List<Finding> sorted = new ArrayList<>(raw);
        sorted.sort(Comparator.comparingInt(Finding::line).thenComparing(Finding::severity).thenComparingInt(Finding::column));
        Set<String> keys = new HashSet<>();
        List<Finding> out = new ArrayList<>();
        for (Finding f : sorted) {
            String key = acrossLanguages ? f.line() + "|" + f.cwe() : f.ruleId() + "|" + f.line() + "|" + f.column();
            if (keys.add(key)) {
                out.add(f);
            }
        }
        return out;
    }

    private ScanResult guarded(String code, java.util.function.Supplier<ScanResult> scan) {
        if (code.length() > config.maxInputChars()) {
            return internalError("input of " + code.length() + " characters exceeds the limit of "
                    + config.maxInputChars());
        }
        try {
            return scan.get();
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private ScanResult internalError(String message) {
        Severity sev = config.failClosed() ? Severity.ERROR : Severity.INFO;
        Finding f = new Finding(Finding.INTERNAL_ERROR, INTERNAL_ERROR_CWE, sev, Language.UNKNOWN,
                "scan did not complete: " + message, 0, 0, "");
        return ScanResult.of(Language.UNKNOWN, List.of(f));
    }
}
