package org.llama3j.data.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.llama3j.data.exec.ExecutorConfig;
import org.llama3j.data.exec.Pipeline;
import org.llama3j.data.io.Compression;
import org.llama3j.data.io.OutputFormat;
import org.llama3j.data.io.ReaderConfig;
import org.llama3j.data.step.DocumentStep;
import org.llama3j.data.step.PipelineStep;
import org.llama3j.data.step.ScopedStep;
import org.llama3j.data.tokenize.TokenizeStep;

/**
 * Reads a pipeline YAML:
 * <pre>
 * input:
 *   paths: [raw/*.jsonl.gz]     # files, directories or globs, relative to this file
 *   textKey: text               # optional: idKey, maxDocumentChars, maxLineBytes
 * output: out                   # final shards, quarantine/, removals/, stats.json
 * workDir: out/_work            # optional (default output/_work)
 * threads: 4                    # optional (default: available processors)
 * outputCompression: gzip       # optional: none | gzip | zstd (for Parquet: the column codec)
 * outputFormat: parquet         # optional: jsonl (default) | parquet; inputs ending in .parquet are read as Parquet
 * steps:
 *   - type: gopher_quality
 *     minDocWords: 50           # any config-record field; omitted fields keep the published defaults
 * </pre>
 * Unknown keys and step types fail with a {@link PipelineConfigException} naming the file and the key.
 */
public final class PipelineConfigParser {

    private static final Set<String> TOP_KEYS = Set.of("input", "output", "workDir", "threads", "outputCompression", "outputFormat",
            "steps");
    private static final Set<String> INPUT_KEYS = Set.of("paths", "textKey", "idKey", "maxDocumentChars", "maxLineBytes");

    private static final YAMLMapper YAML = new YAMLMapper();

    private PipelineConfigParser() {
    }

    public static PipelineSpec parse(Path yamlFile) {
        String text;
        try {
            text = Files.readString(yamlFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PipelineConfigException("cannot read pipeline file " + yamlFile + ": " + e.getMessage(), e);
        }
        Path base = yamlFile.toAbsolutePath().getParent();
        return parse(text, base, yamlFile.toString());
    }

    /** Parses YAML text; relative paths resolve against {@code baseDir}; {@code where} names the source in errors. */
    public static PipelineSpec parse(String yaml, Path baseDir, String where) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new PipelineConfigException(where + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PipelineConfigException(where + ": expected a mapping with 'input', 'output' and 'steps'");
        }
        checkKeys(root, TOP_KEYS, where, "");
        JsonNode input = require(root, "input", where, "");
        if (!input.isObject()) {
            throw new PipelineConfigException(where + ": 'input' must be a mapping with 'paths'");
        }
        checkKeys(input, INPUT_KEYS, where, "input.");
        List<Path> inputs = expandInputs(require(input, "paths", where, "input."), baseDir, where);
        ReaderConfig d = ReaderConfig.DEFAULTS;
        ReaderConfig reader;
        try {
            reader = new ReaderConfig(textOr(input, "textKey", d.textKey(), where),
                    textOr(input, "idKey", d.idKey(), where),
                    longOr(input, "maxDocumentChars", d.maxDocumentChars(), where),
                    (int) longOr(input, "maxLineBytes", d.maxLineBytes(), where));
        } catch (IllegalArgumentException e) {
            throw new PipelineConfigException(where + ": input: " + e.getMessage(), e);
        }
        Path output = baseDir.resolve(textOr(root, "output", null, where));
        Path workDir = root.has("workDir") ? baseDir.resolve(textOr(root, "workDir", null, where)) : output.resolve("_work");
        int threads = (int) longOr(root, "threads", Runtime.getRuntime().availableProcessors(), where);
        if (threads < 1) {
            throw new PipelineConfigException(where + ": 'threads' must be >= 1, got " + threads);
        }
        Compression compression;
        try {
            compression = Compression.named(textOr(root, "outputCompression", "none", where));
        } catch (IllegalArgumentException e) {
            throw new PipelineConfigException(where + ": outputCompression: " + e.getMessage(), e);
        }
        OutputFormat format;
        try {
            format = OutputFormat.named(textOr(root, "outputFormat", "jsonl", where));
        } catch (IllegalArgumentException e) {
            throw new PipelineConfigException(where + ": outputFormat: " + e.getMessage(), e);
        }
        JsonNode steps = require(root, "steps", where, "");
        if (!steps.isArray()) {
            throw new PipelineConfigException(where + ": 'steps' must be a list");
        }
        List<PipelineStep> built = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            built.add(buildStep(steps.get(i), i, baseDir, where));
        }
        ObjectNode fp = YAML.createObjectNode();
        fp.set("input", input);
        fp.set("steps", steps);
        fp.put("outputCompression", compression.name()); // decides the final shard names
        if (format != OutputFormat.JSONL) { // absent for JSONL: work directories of earlier runs stay resumable
            fp.put("outputFormat", format.name());
        }
        Pipeline pipeline = new Pipeline(reader, built, sha256(fp.toString()));
        return new PipelineSpec(inputs, pipeline, new ExecutorConfig(output, workDir, threads, compression,
                format));
    }

    static PipelineStep buildStep(JsonNode node, int index, Path baseDir, String where) {
        String at = where + ": steps[" + index + "]";
        if (node == null || !node.isObject()) {
            throw new PipelineConfigException(at + ": expected a mapping with 'type'");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new PipelineConfigException(at + ": missing 'type' (known types: " + StepRegistry.types() + ")");
        }
        StepType<?> type = StepRegistry.get(typeNode.textValue());
        if (type == null) {
            throw new PipelineConfigException(at + ": unknown step type '" + typeNode.textValue()
                    + "' (known types: " + StepRegistry.types() + ")");
        }
        at = at + " (" + type.type() + ")";
        ObjectNode merged = YAML.valueToTree(type.defaults());
        Set<String> known = new TreeSet<>();
        merged.fieldNames().forEachRemaining(known::add);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals("type") || f.getKey().equals("only")) {
                continue;
            }
            if (!known.contains(f.getKey())) {
                throw new PipelineConfigException(at + ": unknown key '" + f.getKey() + "' (known keys: " + known + ")");
            }
            merged.set(f.getKey(), f.getValue());
        }
        Object config;
        try {
            config = YAML.treeToValue(merged, type.configClass());
        } catch (JsonMappingException e) {
            String key = e.getPath().isEmpty() ? "?" : e.getPath().getFirst().getFieldName();
            throw new PipelineConfigException(at + ": bad value for key '" + key + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new PipelineConfigException(at + ": " + e.getOriginalMessage(), e);
        }
        PipelineStep step;
        try {
            step = type.create(config, baseDir);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new PipelineConfigException(at + ": " + e.getMessage(), e);
        }
        return node.has("only") ? scoped(step, node.get("only"), at) : step;
    }

    /** {@code only: {metadataKey: value | [values]}}: the step applies to matching documents only. */
    private static PipelineStep scoped(PipelineStep step, JsonNode only, String at) {
        if (!(step instanceof DocumentStep ds) || step instanceof TokenizeStep) {
            throw new PipelineConfigException(at + ": 'only' is allowed on per-document filters, not on "
                    + "corpus-wide steps (dedup, mixing, tokenize), whose decisions need every document");
        }
        if (!only.isObject() || only.isEmpty()) {
            throw new PipelineConfigException(at + ": 'only' must map metadata keys to a value or a list of values");
        }
        Map<String, Set<String>> match = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = only.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Set<String> values = new LinkedHashSet<>();
            JsonNode v = e.getValue();
            for (JsonNode x : v.isArray() ? v : List.of(v)) {
                if (!x.isValueNode() || x.isNull()) {
                    throw new PipelineConfigException(at + ": 'only." + e.getKey() + "' must be a value or a list of values");
                }
                values.add(x.asText());
            }
            if (values.isEmpty()) {
                throw new PipelineConfigException(at + ": 'only." + e.getKey() + "' is an empty list");
            }
            match.put(e.getKey(), values);
        }
        return new ScopedStep(ds, match);
    }

    private static List<Path> expandInputs(JsonNode paths, Path baseDir, String where) {
        List<String> patterns = new ArrayList<>();
        if (paths.isTextual()) {
            patterns.add(paths.textValue());
        } else if (paths.isArray()) {
            paths.forEach(p -> {
                if (!p.isTextual()) {
                    throw new PipelineConfigException(where + ": input.paths entries must be strings, got " + p);
                }
                patterns.add(p.textValue());
            });
        } else {
            throw new PipelineConfigException(where + ": input.paths must be a string or a list of strings");
        }
        List<Path> out = new ArrayList<>();
        for (String pattern : patterns) {
            List<Path> matched = expand(pattern, baseDir);
            if (matched.isEmpty()) {
                throw new PipelineConfigException(where + ": input path '" + pattern + "' matched no files");
            }
            out.addAll(matched);
        }
        return out;
    }

    private static List<Path> expand(String pattern, Path baseDir) {
        try {
            if (pattern.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
                Path p = baseDir.resolve(pattern);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.list(p)) {
                        return s.filter(Files::isRegularFile)
                                .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
                    }
                }
                return Files.isRegularFile(p) ? List.of(p) : List.of();
            }
            Path abs = baseDir.resolve(pattern).normalize();
            Path root = abs.getRoot();
            for (Path part : abs) {
                if (part.toString().chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
                    break;
                }
                root = root.resolve(part);
            }
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + abs);
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            try (Stream<Path> s = Files.walk(root)) {
                return s.filter(Files::isRegularFile).filter(m::matches).sorted().toList();
            }
        } catch (IOException e) {
            throw new PipelineConfigException("cannot list input path '" + pattern + "': " + e.getMessage(), e);
        }
    }

    private static JsonNode require(JsonNode node, String key, String where, String prefix) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new PipelineConfigException(where + ": missing required key '" + prefix + key + "'");
        }
        return v;
    }

    private static void checkKeys(JsonNode node, Set<String> known, String where, String prefix) {
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw new PipelineConfigException(where + ": unknown key '" + prefix + k + "' (known keys: "
                        + new TreeSet<>(known) + ")");
            }
        });
    }

    private static String textOr(JsonNode node, String key, String dflt, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new PipelineConfigException(where + ": missing required key '" + key + "'");
            }
            return dflt;
        }
        if (!v.isTextual()) {
            throw new PipelineConfigException(where + ": key '" + key + "' must be a string, got " + v);
        }
        return v.textValue();
    }

    private static long longOr(JsonNode node, String key, long dflt, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new PipelineConfigException(where + ": key '" + key + "' must be an integer, got " + v);
        }
        return v.longValue();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
