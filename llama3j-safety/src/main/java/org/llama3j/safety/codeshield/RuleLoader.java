package org.llama3j.safety.codeshield;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads rule files (YAML, format in llama3j-safety/README.md) and compiles every pattern once.
 * Any defect — unknown field, bad regex, missing example, duplicate id — is a {@link RuleFormatException}.
 */
public final class RuleLoader {
    /** Rule files on the class path: one per language plus the language-agnostic secrets. */
    public static final String RESOURCE_DIR = "codeshield/rules/";
    private static final Set<String> RULE_FIELDS = Set.of("id", "languages", "cwe", "severity", "description",
            "pattern", "scope", "call", "assign", "positive", "negative");
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final java.util.regex.Pattern CWE = java.util.regex.Pattern.compile("CWE-[0-9]{1,5}");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    /** Loads the bundled rule files. */
    public List<Rule> loadDefaults() {
        List<String> files = new ArrayList<>();
        for (Language l : Language.values()) {
            if (l != Language.UNKNOWN) {
                files.add(l.id() + ".yaml");
            }
        }
        files.add("secrets.yaml");
        List<Rule> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String f : files) {
            String path = RESOURCE_DIR + f;
            try (InputStream in = RuleLoader.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new RuleFormatException("rule file " + path + " is missing from the class path");
                }
                for (Rule r : load(in, path)) {
                    if (!ids.add(r.id())) {
                        throw new RuleFormatException(path + ": rule id '" + r.id() + "' is defined twice");
                    }
                    all.add(r);
                }
            } catch (IOException e) {
                throw new RuleFormatException("cannot read rule file " + path + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(all);
    }

    /** Loads one rule file; {@code source} names it in error messages. */
    public List<Rule> load(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = yaml.readTree(in);
        } catch (IOException e) {
            throw new RuleFormatException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new RuleFormatException(source + ": expected a mapping with 'language' and 'rules'");
        }
        Set<Language> fileLanguages = languages(root.get("language"), source, "file");
        JsonNode rules = root.get("rules");
        if (rules == null || !rules.isArray() || rules.isEmpty()) {
            throw new RuleFormatException(source + ": 'rules' must be a non-empty list");
        }
        List<Rule> out = new ArrayList<>();
        int index = 0;
        for (JsonNode node : rules) {
            out.add(rule(node, source, index++, fileLanguages));
        }
        return out;
    }

    private Rule rule(JsonNode n, String source, int index, Set<Language> fileLanguages) {
        String where = source + " rule #" + index;
        if (!n.isObject()) {
            throw new RuleFormatException(where + ": expected a mapping");
        }
        String id = text(n, "id", where);
        where = source + " rule '" + id + "'";
        if (!ID.matcher(id).matches()) {
            throw new RuleFormatException(where + ": id must be lower-case letters, digits, '.', '_' or '-'");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!RULE_FIELDS.contains(f)) {
                throw new RuleFormatException(where + ": unknown field '" + f + "'");
            }
        }
        Set<Language> langs = n.has("languages") ? languages(n.get("languages"), source, id) : fileLanguages;
        String cwe = text(n, "cwe", where);
        if (!CWE.matcher(cwe).matches()) {
            throw new RuleFormatException(where + ": cwe must look like CWE-78, got '" + cwe + "'");
        }
        Severity severity;
        try {
            severity = Severity.parse(text(n, "severity", where));
        } catch (IllegalArgumentException e) {
            throw new RuleFormatException(where + ": " + e.getMessage());
        }
        String description = text(n, "description", where);
        RuleMatcher matcher = matcher(n, where);
        List<String> pos = examples(n, "positive", where);
        List<String> neg = examples(n, "negative", where);
        return new Rule(id, langs, cwe, severity, description, matcher, pos, neg, source);
    }

    private RuleMatcher matcher(JsonNode n, String where) {
        int kinds = (n.has("pattern") ? 1 : 0) + (n.has("call") ? 1 : 0) + (n.has("assign") ? 1 : 0);
        if (kinds != 1) {
            throw new RuleFormatException(where + ": exactly one of 'pattern', 'call', 'assign' is required, found " + kinds);
        }
        try {
            if (n.has("pattern")) {
                String scope = n.has("scope") ? text(n, "scope", where) : "code";
                if (!scope.equals("code") && !scope.equals("raw")) {
                    throw new RuleFormatException(where + ": scope must be 'code' or 'raw', got '" + scope + "'");
                }
                return new RegexMatcher(compile(text(n, "pattern", where), where + " pattern"), scope.equals("raw"));
            }
            if (n.has("scope")) {
                throw new RuleFormatException(where + ": 'scope' only applies to 'pattern' rules");
            }
            if (n.has("call")) {
                JsonNode c = n.get("call");
                checkFields(c, Set.of("callee", "arg", "when", "keyword", "value"), where + " call");
                Pattern callee = compile(text(c, "callee", where + " call"), where + " call.callee");
                int arg = c.has("arg") ? argIndex(c.get("arg"), where) : 0;
                ArgCondition when = ArgCondition.parse(c.has("when") ? text(c, "when", where) : "any");
                String keyword = c.has("keyword") ? text(c, "keyword", where + " call") : null;
                if ((keyword == null) != !c.has("value")) {
                    throw new RuleFormatException(where + ": call.keyword and call.value go together");
                }
                Pattern value = keyword == null ? null : compile(text(c, "value", where + " call"), where + " call.value");
                return new CallMatcher(callee, when, arg, keyword, value);
            }
            JsonNode a = n.get("assign");
            checkFields(a, Set.of("target", "when"), where + " assign");
            String when = a.has("when") ? text(a, "when", where) : "any";
            if (!when.equals("any") && !when.equals("non-literal")) {
                throw new RuleFormatException(where + ": assign.when must be any or non-literal, got '" + when + "'");
            }
            return new AssignMatcher(compile(text(a, "target", where + " assign"), where + " assign.target"),
                    when.equals("non-literal"));
        } catch (IllegalArgumentException e) {
            throw new RuleFormatException(where + ": " + e.getMessage(), e);
        }
    }

    private static int argIndex(JsonNode v, String where) {
        if (v.isTextual() && v.asText().equals("any")) {
            return -1;
        }
        if (!v.isInt() || v.asInt() < 0) {
            throw new RuleFormatException(where + ": call.arg must be a non-negative integer or 'any', got '" + v + "'");
        }
        return v.asInt();
    }

    private static void checkFields(JsonNode n, Set<String> allowed, String where) {
        if (n == null || !n.isObject()) {
            throw new RuleFormatException(where + ": expected a mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new RuleFormatException(where + ": unknown field '" + f + "'");
            }
        }
    }

    private static Pattern compile(String regex, String where) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new RuleFormatException(where + ": invalid RE2 regular expression: " + e.getMessage(), e);
        }
    }

    private static Set<Language> languages(JsonNode v, String source, String owner) {
        if (v == null) {
            throw new RuleFormatException(source + ": " + owner + " needs 'language(s)'");
        }
        List<String> names = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(x -> names.add(x.asText()));
        } else {
            names.add(v.asText());
        }
        Set<Language> out = EnumSet.noneOf(Language.class);
        for (String name : names) {
            if (name.equals("any")) {
                return Set.of();
            }
            Language l = Language.fromName(name).filter(x -> x != Language.UNKNOWN).orElseThrow(() ->
                    new RuleFormatException(source + ": " + owner + " has unknown language '" + name + "'"));
            out.add(l);
        }
        if (out.isEmpty()) {
            throw new RuleFormatException(source + ": " + owner + " has an empty language list");
        }
        return out;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) {
            throw new RuleFormatException(where + ": '" + field + "' is missing or blank");
        }
        return v.asText();
    }

    private static List<String> examples(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new RuleFormatException(where + ": '" + field + "' must list at least one example");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new RuleFormatException(where + ": '" + field + "' examples must be non-blank strings");
            }
            out.add(e.asText());
        }
        return out;
    }
}
