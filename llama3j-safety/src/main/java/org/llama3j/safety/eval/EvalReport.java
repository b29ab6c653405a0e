package org.llama3j.safety.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The outcome of every case and the rates derived from them, as a text table or JSON. */
public record EvalReport(List<CaseOutcome> outcomes, String injectionJudging) {
    public static final String ALL = "all";

    public EvalReport {
        outcomes = List.copyOf(outcomes);
    }

    /** Per benchmark: one row per group (sorted) when there is more than one group, then the {@code all} row. */
    public List<RateRow> rows() {
        Map<String, Map<String, int[]>> counts = new LinkedHashMap<>();
        for (CaseOutcome o : outcomes) {
            Map<String, int[]> groups = counts.computeIfAbsent(o.benchmark(), b -> new java.util.TreeMap<>());
            for (String g : o.group().equals(ALL) ? List.of(ALL) : List.of(o.group(), ALL)) {
                int[] c = groups.computeIfAbsent(g, k -> new int[3]);
                c[0]++;
                if (o.hit() == null) {
                    c[2]++;
                } else if (o.hit()) {
                    c[1]++;
                }
            }
        }
        List<RateRow> rows = new ArrayList<>();
        counts.forEach((bench, groups) -> {
            boolean split = groups.size() > 2; // a single language adds nothing over "all"
            groups.forEach((g, c) -> {
                if (!g.equals(ALL) && split) {
                    rows.add(new RateRow(bench, g, c[0], c[1], c[2]));
                }
            });
            int[] all = groups.get(ALL);
            rows.add(new RateRow(bench, ALL, all[0], all[1], all[2]));
        });
        return rows;
    }

    /** The {@code all} row of a benchmark. */
    public RateRow total(String benchmark) {
        return rows().stream().filter(r -> r.benchmark().equals(benchmark) && r.group().equals(ALL)).findFirst()
                .orElse(new RateRow(benchmark, ALL, 0, 0, 0));
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %-12s %6s %6s %9s %8s%n", "benchmark", "group", "cases", "hits",
                "unjudged", "rate"));
        for (RateRow r : rows()) {
            sb.append(String.format(Locale.ROOT, "%-28s %-12s %6d %6d %9d %8s%n", r.benchmark(), r.group(), r.cases(),
                    r.hits(), r.unjudged(), Double.isNaN(r.rate()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.rate())));
        }
        sb.append("hits: insecure_code = Code Shield finds insecure code; false_refusal = refusal phrase detector;\n")
                .append("prompt_injection = injection succeeded (").append(injectionJudging).append(")\n");
        return sb.toString();
    }

    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("injection_judging", injectionJudging);
        ArrayNode rows = root.putArray("rows");
        for (RateRow r : rows()) {
            ObjectNode n = rows.addObject();
            n.put("benchmark", r.benchmark());
            n.put("group", r.group());
            n.put("cases", r.cases());
            n.put("hits", r.hits());
            n.put("unjudged", r.unjudged());
            if (Double.isNaN(r.rate())) {
                n.putNull("rate");
            } else {
                n.put("rate", r.rate());
            }
        }
        ArrayNode cases = root.putArray("cases");
        for (CaseOutcome o : outcomes) {
            ObjectNode n = cases.addObject();
            n.put("benchmark", o.benchmark());
            n.put("id", o.id());
            n.put("group", o.group());
            if (o.hit() == null) {
                n.putNull("hit");
            } else {
                n.put("hit", o.hit());
            }
            n.put("detail", o.detail());
        }
        return root.toString();
    }
}
