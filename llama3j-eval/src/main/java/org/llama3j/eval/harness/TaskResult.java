package org.llama3j.eval.harness;

import java.util.List;
import java.util.Map;

/**
 * One task's results: aggregate metrics (name → value; {@code *_stderr} the standard error of a
 * mean, sample standard deviation / √n as lm-eval reports it) and one record per scored item.
 */
public record TaskResult(String task, String type, int items, int shots, Map<String, Double> metrics,
                         List<Map<String, Object>> perItem) {
}
