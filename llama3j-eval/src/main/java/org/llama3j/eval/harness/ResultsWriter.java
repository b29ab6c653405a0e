package org.llama3j.eval.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-task JSON results (written atomically) and the summary table printed after a run. */
public final class ResultsWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsWriter() {
    }

    /** {@code {"model": …, "results": {task: {type, items, shots, metrics, samples}}}}. */
    public static void write(Path out, String model, List<TaskResult> results) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (TaskResult r : results) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("type", r.type());
            t.put("items", r.items());
            t.put("shots", r.shots());
            t.put("metrics", finite(r.metrics()));
            t.put("samples", r.perItem());
            tasks.put(r.task(), t);
        }
        root.put("results", tasks);
        Path abs = out.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Object> finite(Map<String, Double> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, Double.isFinite(v) ? v : null));
        return out;
    }

    /** A Markdown table: task, type, items, shots, then each metric with its standard error. */
    public static String summary(List<TaskResult> results) {
        StringBuilder sb = new StringBuilder("| task | type | items | shots | metric | value | ± stderr |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (TaskResult r : results) {
            for (var e : r.metrics().entrySet()) {
                if (e.getKey().endsWith("_stderr")) {
                    continue;
                }
                Double se = r.metrics().get(e.getKey() + "_stderr");
                sb.append(String.format("| %s | %s | %d | %d | %s | %.4f | %s |%n", r.task(), r.type(), r.items(),
                        r.shots(), e.getKey(), e.getValue(), se == null || !Double.isFinite(se) ? "" : String.format("%.4f", se)));
            }
        }
        return sb.toString();
    }
}
