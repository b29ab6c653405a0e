package org.llama3j.eval.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sweep-results.json}: the sweep's config file, the task's chance accuracy, and one object per
 * finished run (rewritten atomically after each run, so an interrupted sweep resumes and a partial
 * one can already be fitted). Missing task values are {@code null}.
 */
public record SweepResults(String config, double chance, List<RunRecord> runs) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("config", config);
        num(root, "chance", chance);
        ArrayNode arr = root.putArray("runs");
        for (RunRecord r : runs) {
            ObjectNode n = arr.addObject();
            n.put("name", r.name());
            n.put("budget", r.budget());
            ModelSize m = r.model();
            ObjectNode s = n.putObject("model");
            s.put("dim", m.dim()).put("layers", m.layers()).put("heads", m.heads()).put("kvHeads", m.kvHeads())
                    .put("ffnDim", m.ffnDim()).put("vocab", m.vocab()).put("seqLen", m.seqLen());
            n.put("parameters", r.parameters());
            n.put("tokens", r.tokens());
            n.put("flops", r.flops());
            n.put("steps", r.steps());
            num(n, "valLoss", r.valLoss());
            num(n, "taskNll", r.taskNll());
            num(n, "taskAcc", r.taskAcc());
            num(n, "taskAccNorm", r.taskAccNorm());
            n.put("seconds", r.seconds());
        }
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static SweepResults read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a sweep results JSON file: " + e.getMessage());
        }
        if (root == null || !root.path("runs").isArray()) {
            throw new IllegalArgumentException(file + ": no \"runs\" array (expected sweep-results.json from llama3j scaling sweep)");
        }
        List<RunRecord> runs = new ArrayList<>();
        int i = 0;
        for (JsonNode n : root.get("runs")) {
            try {
                JsonNode m = n.get("model");
                ModelSize size = new ModelSize(m.get("dim").asInt(), m.get("layers").asInt(), m.get("heads").asInt(),
                        m.get("kvHeads").asInt(), m.get("ffnDim").asInt(), m.get("vocab").asInt(), m.get("seqLen").asInt());
                runs.add(new RunRecord(n.get("name").asText(), n.get("budget").asDouble(), size, n.get("parameters").asLong(),
                        n.get("tokens").asLong(), n.get("flops").asDouble(), n.get("steps").asInt(), d(n, "valLoss"),
                        d(n, "taskNll"), d(n, "taskAcc"), d(n, "taskAccNorm"), n.get("seconds").asDouble()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": runs[" + i + "] is malformed: " + e);
            }
            i++;
        }
        return new SweepResults(root.path("config").asText(""), d(root, "chance"), List.copyOf(runs));
    }

    private static void num(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    private static double d(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }
}
