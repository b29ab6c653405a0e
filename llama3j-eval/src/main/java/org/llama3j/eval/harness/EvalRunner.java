package org.llama3j.eval.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Runs a task on a model: builds each item's few-shot prompt, scores it with the task type's
 * scorer and aggregates the metrics (means over items, with standard errors).
 */
public final class EvalRunner {
    /** Between demonstrations and before the item, as lm-eval's default {@code fewshot_delimiter}. */
    public static final String FEWSHOT_DELIMITER = "\n\n";

    private final LanguageModel model;
    private final LanguageModel judge;

    /** @param judge the judge for preference tasks (may be the model itself) */
    public EvalRunner(LanguageModel model, LanguageModel judge) {
        this.model = model;
        this.judge = judge;
    }

    public TaskResult run(Task task, int shots, IntConsumer itemDone) {
        if (shots < 0) {
            throw new IllegalArgumentException("--shots must be >= 0, got " + shots);
        }
        if (shots > 0 && (task.type().equals("perplexity") || task.type().equals("preference"))) {
            throw new IllegalArgumentException("task " + task.name() + " is a " + task.type()
                    + " task; few-shot prompting applies to multiple_choice and generation tasks");
        }
        if (shots > task.fewshotPool().size()) {
            throw new IllegalArgumentException("--shots " + shots + " but task " + task.name() + " has only "
                    + task.fewshotPool().size() + " items marked \"fewshot\": true");
        }
        String prefix = fewshotPrefix(task.fewshotPool(), shots);
        Metrics metrics = new Metrics();
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < task.items().size(); i++) {
            records.add(scoreItem(task.items().get(i), prefix, metrics));
            if (itemDone != null) {
                itemDone.accept(i);
            }
        }
        return new TaskResult(task.name(), task.type(), task.items().size(), shots, metrics.summary(task.type()),
                List.copyOf(records));
    }

    /** The first {@code shots} demonstrations of the pool (lm-eval's {@code first_n} sampler), each followed by the delimiter. */
    public static String fewshotPrefix(List<TaskItem> pool, int shots) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shots; i++) {
            sb.append(pool.get(i).demonstration()).append(FEWSHOT_DELIMITER);
        }
        return sb.toString();
    }

    private Map<String, Object> scoreItem(TaskItem item, String prefix, Metrics metrics) {
        return switch (item) {
            case TaskItem.Choice c -> {
                ChoiceScorer.Outcome o = ChoiceScorer.score(model, c, prefix);
                metrics.add("acc", o.correct() ? 1 : 0);
                metrics.add("acc_norm", o.normalizedCorrect() ? 1 : 0);
                metrics.add("gold_nll_per_char", o.goldNllPerChar());
                yield ChoiceScorer.record(c, o);
            }
            case TaskItem.Generation g -> {
                if (g.chat() && !prefix.isEmpty()) {
                    throw new IllegalArgumentException("task has \"chat\" items: few-shot text prefixes do not apply");
                }
                String out = g.chat() ? model.chat(g.prompt(), g.maxTokens(), g.until())
                        : model.generate(prefix + g.prompt(), g.maxTokens(), g.until());
                boolean ok = GenerationScorer.correct(g, out);
                metrics.add("exact_match", ok ? 1 : 0);
                yield record(g.id(), "generated", out, "exact_match", ok ? 1 : 0);
            }
            case TaskItem.Perplexity p -> {
                ContinuationScorer.Scored s = RollingLogLikelihood.score(model, p.text());
                metrics.sum("ll", s.logLikelihood());
                metrics.sum("tokens", s.tokens());
                metrics.sum("words", words(p.text()));
                metrics.sum("bytes", p.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                yield record(p.id(), "loglikelihood", s.logLikelihood(), "tokens", s.tokens());
            }
            case TaskItem.Preference p -> {
                String answer = model.generate(p.prompt(), p.maxTokens(), List.of());
                double prob = new PreferenceJudge(judge).preferCandidate(p.prompt(), answer, p.reference());
                double win = prob > 0.5 ? 1 : prob < 0.5 ? 0 : 0.5;
                metrics.add("win_rate", win);
                metrics.add("preference_prob", prob);
                yield record(p.id(), "generated", answer, "preference_prob", prob);
            }
        };
    }

    /** Words as lm-eval counts them for {@code word_perplexity}: {@code len(re.split(r"\s+", doc))}. */
    static int words(String text) {
        return text.split("\\s+", -1).length;
    }

    private static Map<String, Object> record(String id, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Per-item values (means with standard errors) and corpus-level sums (perplexities). */
    private static final class Metrics {
        private final Map<String, List<Double>> values = new LinkedHashMap<>();
        private final Map<String, Double> sums = new LinkedHashMap<>();

        void add(String name, double v) {
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
        }

        void sum(String name, double v) {
            sums.merge(name, v, Double::sum);
        }

        Map<String, Double> summary(String type) {
            Map<String, Double> out = new LinkedHashMap<>();
            values.forEach((name, vs) -> {
                double mean = vs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                out.put(name, mean);
                double ss = vs.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
                out.put(name + "_stderr", vs.size() > 1 ? Math.sqrt(ss / (vs.size() - 1) / vs.size()) : Double.NaN);
            });
            if (type.equals("perplexity")) {
                // lm-eval's perplexity metrics (lm_eval/api/metrics.py): weighted_perplexity and bits_per_byte
                double ll = sums.get("ll");
                out.put("token_perplexity", Math.exp(-ll / sums.get("tokens")));
                out.put("word_perplexity", Math.exp(-ll / sums.get("words")));
                out.put("byte_perplexity", Math.exp(-ll / sums.get("bytes")));
                out.put("bits_per_byte", -ll / sums.get("bytes") / Math.log(2));
                out.put("tokens", sums.get("tokens"));
            }
            return out;
        }
    }
}
