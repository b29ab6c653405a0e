package org.llama3j.safety.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.llama3j.safety.codeshield.Language;

/**
 * The four CyberSecEval-style suites, read from a directory of JSONL files (one JSON object a line;
 * blank lines allowed): {@code instruct.jsonl} and {@code autocomplete.jsonl} ({@code {prompt,
 * language, id?}}), {@code frr.jsonl} ({@code {prompt, id?}}) and {@code prompt_injection.jsonl}
 * ({@code {system, user_input, judge_question, success_keywords?, id?}}). Missing files are empty
 * suites; a directory with none of them is an error. Unknown fields are ignored.
 */
public record EvalDataset(List<CodeCase> instruct, List<CodeCase> autocomplete, List<RefusalCase> frr,
                          List<InjectionCase> injection) {
    public static final String INSTRUCT = "instruct.jsonl";
    public static final String AUTOCOMPLETE = "autocomplete.jsonl";
    public static final String FRR = "frr.jsonl";
    public static final String INJECTION = "prompt_injection.jsonl";
    /** Our example suites, shipped as resources (written for llama3j, not Meta's data). */
    public static final String EXAMPLE_RESOURCE_DIR = "/cyberseceval/examples/";

    private static final ObjectMapper JSON = new ObjectMapper();

    public EvalDataset {
        instruct = List.copyOf(instruct);
        autocomplete = List.copyOf(autocomplete);
        frr = List.copyOf(frr);
        injection = List.copyOf(injection);
    }

    public static EvalDataset load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new EvalDatasetException(dir + ": not a directory");
        }
        Map<String, String> texts = new java.util.HashMap<>();
        for (String name : List.of(INSTRUCT, AUTOCOMPLETE, FRR, INJECTION)) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                texts.put(name, Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        if (texts.isEmpty()) {
            throw new EvalDatasetException(dir + ": none of " + INSTRUCT + ", " + AUTOCOMPLETE + ", " + FRR + ", "
                    + INJECTION + " found");
        }
        return parse(dir + "/", texts);
    }

    /** The example suites shipped in this module's resources. */
    public static EvalDataset examples() throws IOException {
        Map<String, String> texts = new java.util.HashMap<>();
        for (String name : List.of(INSTRUCT, AUTOCOMPLETE, FRR, INJECTION)) {
            try (InputStream in = EvalDataset.class.getResourceAsStream(EXAMPLE_RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IOException("missing resource " + EXAMPLE_RESOURCE_DIR + name);
                }
                texts.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return parse("classpath:" + EXAMPLE_RESOURCE_DIR, texts);
    }

    /** Parses suites from file name to JSONL text; {@code where} prefixes file names in messages. */
    public static EvalDataset parse(String where, Map<String, String> texts) {
        return new EvalDataset(
                lines(where + INSTRUCT, texts.get(INSTRUCT), EvalDataset::codeCase),
                lines(where + AUTOCOMPLETE, texts.get(AUTOCOMPLETE), EvalDataset::codeCase),
                lines(where + FRR, texts.get(FRR), (n, at) -> new RefusalCase(id(n, at), text(n, "prompt", at))),
                lines(where + INJECTION, texts.get(INJECTION), EvalDataset::injectionCase));
    }

    public int size() {
        return instruct.size() + autocomplete.size() + frr.size() + injection.size();
    }

    private static <T> List<T> lines(String file, String text, BiFunction<JsonNode, String, T> parse) {
        List<T> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String at = file + ":" + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(lines[i]);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new EvalDatasetException(at + ": not valid JSON: " + e.getOriginalMessage());
            }
            if (n == null || !n.isObject()) {
                throw new EvalDatasetException(at + ": expected a JSON object");
            }
            out.add(parse.apply(n, at));
        }
        return out;
    }

    private static CodeCase codeCase(JsonNode n, String at) {
        String lang = text(n, "language", at);
        if (Language.fromName(lang).filter(l -> l != Language.UNKNOWN).isEmpty()) {
            throw new EvalDatasetException(at + ": field 'language' names no Code Shield language: '" + lang + "'");
        }
        return new CodeCase(id(n, at), text(n, "prompt", at), Language.fromName(lang).orElseThrow().id());
    }

    private static InjectionCase injectionCase(JsonNode n, String at) {
        List<String> keywords = new ArrayList<>();
        JsonNode k = n.get("success_keywords");
        if (k != null && !k.isNull()) {
            if (!k.isArray()) {
                throw new EvalDatasetException(at + ": field 'success_keywords' must be a list of strings");
            }
            for (JsonNode w : k) {
                if (!w.isTextual() || w.asText().isBlank()) {
                    throw new EvalDatasetException(at + ": field 'success_keywords' has a blank or non-string entry");
                }
                keywords.add(w.asText());
            }
        }
        return new InjectionCase(id(n, at), text(n, "system", at), text(n, "user_input", at),
                text(n, "judge_question", at), keywords);
    }

    private static String id(JsonNode n, String at) {
        JsonNode v = n.get("id");
        return v == null || v.isNull() ? at.substring(at.lastIndexOf('/') + 1) : v.asText();
    }

    private static String text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new EvalDatasetException(at + ": missing field '" + field + "'");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new EvalDatasetException(at + ": field '" + field + "' must be a non-blank string");
        }
        return v.asText();
    }
}
