package org.llama3j.eval.scaling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** The text summary of a prediction and the HTML report that ties the runs, fits, plots and prediction together. */
public final class ScalingReport {
    public static final String HTML = "scaling-report.html";

    private ScalingReport() {
    }

    public static String describe(ScalingLaws laws, Prediction p, Verification.Result v) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "fits: N*(C) = %.4g * C^%.4f   D*(C) = %.4g * C^%.4f   L*(C) = %.4g * C^%.4f%n",
                laws.nStar().coefficient(), laws.nStar().exponent(), laws.dStar().coefficient(), laws.dStar().exponent(),
                laws.lossStar().coefficient(), laws.lossStar().exponent()));
        if (laws.accuracy() != null) {
            sb.append(String.format(Locale.ROOT, "      task NLL*(C) = %.4g * C^%.4f   accuracy = %.3f + %.3f / (1 + exp(%.3f (nll - %.4f)))%n",
                    laws.taskNllStar().coefficient(), laws.taskNllStar().exponent(), laws.chance(), 1 - laws.chance(),
                    laws.accuracy().slope(), laws.accuracy().midpoint()));
        }
        if (!laws.skippedBudgets().isEmpty()) {
            sb.append("      budgets without an IsoFLOP minimum (not fitted): ").append(laws.skippedBudgets()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "budget C = %.3e FLOPs (90%% bootstrap interval over %d replicates, %d failed)%n",
                p.budget(), p.replicates(), p.failed()));
        line(sb, "compute-optimal parameters N*", p.estimate().parameters(), p.low().parameters(), p.high().parameters(), "%,.0f");
        line(sb, "compute-optimal tokens D*", p.estimate().tokens(), p.low().tokens(), p.high().tokens(), "%,.0f");
        line(sb, "validation loss L* (nats/token)", p.estimate().loss(), p.low().loss(), p.high().loss(), "%.4f");
        if (Double.isFinite(p.estimate().accuracy())) {
            line(sb, "task NLL per char", p.estimate().taskNll(), p.low().taskNll(), p.high().taskNll(), "%.4f");
            line(sb, "task accuracy", p.estimate().accuracy(), p.low().accuracy(), p.high().accuracy(), "%.4f");
        }
        if (v != null) {
            RunRecord r = v.run();
            sb.append(String.format(Locale.ROOT, "verified: %s N=%,d D=%,d: loss %.4f (prediction error %+.2f%%)",
                    r.name(), r.parameters(), r.tokens(), r.valLoss(), 100 * v.lossError()));
            if (r.hasTask()) {
                sb.append(String.format(Locale.ROOT, ", task NLL/char %.4f, accuracy %.4f (error %+.2f%%)", r.taskNll(),
                        r.taskAcc(), 100 * v.accuracyError()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String what, double v, double lo, double hi, String fmt) {
        sb.append(String.format(Locale.ROOT, "  %-34s " + fmt + "   [" + fmt + " .. " + fmt + "]%n", what, v, lo, hi));
    }

    public static void writeHtml(Path dir, SweepResults results, ScalingLaws laws, Prediction p, Verification.Result v)
            throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>llama3j scaling report</title>"
                + "<style>body{font-family:sans-serif;max-width:1000px;margin:auto}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}img{max-width:100%}</style></head><body>");
        h.append("<h1>Scaling sweep</h1><p>Config: <code>").append(esc(results.config())).append("</code>. ")
                .append("Compute C = 6·N·D + 6·n_layer·n_ctx·d·D (Kaplan et al. 2020, Table 1). Method: IsoFLOP parabolas in ln N ")
                .append("(Hoffmann et al. 2022, approach 2), power laws N*(C), D*(C), L*(C), and Llama 3's two-step ")
                .append("compute → task NLL → accuracy (sigmoid) prediction (Dubey et al. 2024, §3.2.1).</p>");
        h.append("<h2>Prediction</h2><pre>").append(esc(describe(laws, p, v))).append("</pre>");
        h.append("<h2>IsoFLOP curves</h2><img src=\"").append(ScalingPlots.ISOFLOP).append("\">");
        h.append("<table><tr><th>budget C</th><th>N*</th><th>D*</th><th>L*</th><th>task NLL at N*</th></tr>");
        for (IsoFlopCurve c : laws.curves()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%.3e</td><td>%,.0f</td><td>%,.0f</td><td>%.4f</td><td>%.4f</td></tr>",
                    c.budget(), c.nStar(), c.dStar(), c.lossStar(), c.taskNllStar()));
        }
        h.append("</table><h2>Power laws</h2><img src=\"").append(ScalingPlots.POWER_LAWS).append("\">");
        if (laws.accuracy() != null) {
            h.append("<h2>Task NLL → accuracy</h2><img src=\"").append(ScalingPlots.ACCURACY).append("\">");
        }
        h.append("<h2>Runs</h2><table><tr><th>run</th><th>N</th><th>tokens D</th><th>FLOPs</th><th>steps</th>"
                + "<th>val loss</th><th>task NLL/char</th><th>acc</th><th>acc_norm</th><th>seconds</th></tr>");
        for (RunRecord r : results.runs()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%.3e</td><td>%d</td><td>%.4f</td>"
                    + "<td>%.4f</td><td>%.3f</td><td>%.3f</td><td>%.0f</td></tr>", esc(r.name()), r.parameters(), r.tokens(),
                    r.flops(), r.steps(), r.valLoss(), r.taskNll(), r.taskAcc(), r.taskAccNorm(), r.seconds()));
        }
        h.append("</table></body></html>\n");
        Path out = dir.resolve(HTML).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Path tmp = out.resolveSibling("." + HTML + ".tmp");
        Files.writeString(tmp, h, StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
