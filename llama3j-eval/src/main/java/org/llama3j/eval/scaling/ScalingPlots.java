package org.llama3j.eval.scaling;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The three PNGs of a sweep report: IsoFLOP curves, the power-law fits, NLL → accuracy. */
public final class ScalingPlots {
    public static final String ISOFLOP = "isoflop.png";
    public static final String POWER_LAWS = "power-laws.png";
    public static final String ACCURACY = "nll-accuracy.png";

    private ScalingPlots() {
    }

    /**
     * @param target the predicted budget (drawn as a star), or NaN
     * @param verified the verification run's measured loss and accuracy at {@code target}, or null
     */
    public static void write(Path dir, ScalingLaws laws, Prediction prediction, RunRecord verified) throws IOException {
        isoFlop(dir.resolve(ISOFLOP), laws);
        powerLaws(dir.resolve(POWER_LAWS), laws, prediction, verified);
        if (laws.accuracy() != null) {
            accuracy(dir.resolve(ACCURACY), laws, prediction, verified);
        }
    }

    static void isoFlop(Path png, ScalingLaws laws) throws IOException {
        Chart chart = new Chart("IsoFLOP curves: val loss vs N; parabola in ln N over each budget's best run ± 2 neighbours",
                "parameters N (log)", "val loss (nats/token)", true, false);
        List<IsoFlopCurve> curves = laws.curves();
        for (int i = 0; i < curves.size(); i++) {
            IsoFlopCurve c = curves.get(i);
            Color color = Chart.PALETTE[i % Chart.PALETTE.length];
            double[] n = c.runs().stream().mapToDouble(RunRecord::parameters).toArray();
            double[] l = c.runs().stream().mapToDouble(RunRecord::valLoss).toArray();
            chart.add(new Chart.Series(String.format("C = %.2e FLOPs", c.budget()), color, n, l, true, false, false));
            // the parabola is drawn over the runs it was fitted to (the best and its neighbours)
            double lo = c.fitted().stream().mapToDouble(RunRecord::parameters).min().orElseThrow();
            double hi = c.fitted().stream().mapToDouble(RunRecord::parameters).max().orElseThrow();
            double[] fx = new double[60];
            double[] fy = new double[60];
            for (int k = 0; k < fx.length; k++) {
                fx[k] = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * k / (fx.length - 1));
                fy[k] = c.lossVsLogN().at(Math.log(fx[k]));
            }
            chart.add(new Chart.Series("", color, fx, fy, false, true, false));
            chart.add(new Chart.Series("", color, new double[] {c.nStar()}, new double[] {c.lossStar()}, true, false, true));
        }
        chart.write(png);
    }

    static void powerLaws(Path png, ScalingLaws laws, Prediction p, RunRecord verified) throws IOException {
        Chart chart = new Chart(String.format("Compute-optimal N*(C) = %.3g C^%.3f and D*(C) = %.3g C^%.3f",
                laws.nStar().coefficient(), laws.nStar().exponent(), laws.dStar().coefficient(), laws.dStar().exponent()),
                "compute C (FLOPs, log)", "N* and D* (log)", true, true);
        double[] c = laws.curves().stream().mapToDouble(IsoFlopCurve::budget).toArray();
        double[] n = laws.curves().stream().mapToDouble(IsoFlopCurve::nStar).toArray();
        double[] d = laws.curves().stream().mapToDouble(IsoFlopCurve::dStar).toArray();
        double cMax = p == null ? c[c.length - 1] : Math.max(p.budget(), c[c.length - 1]);
        double[] fx = {c[0], cMax};
        chart.add(new Chart.Series("N* (IsoFLOP minima)", Chart.PALETTE[0], c, n, true, false, false));
        chart.add(new Chart.Series("N* fit", Chart.PALETTE[0], fx, new double[] {laws.nStar().at(fx[0]), laws.nStar().at(fx[1])}, false, true, false));
        chart.add(new Chart.Series("D* (IsoFLOP minima)", Chart.PALETTE[1], c, d, true, false, false));
        chart.add(new Chart.Series("D* fit", Chart.PALETTE[1], fx, new double[] {laws.dStar().at(fx[0]), laws.dStar().at(fx[1])}, false, true, false));
        if (p != null) {
            chart.add(new Chart.Series("predicted N*, D*", Chart.PALETTE[3], new double[] {p.budget(), p.budget()},
                    new double[] {p.estimate().parameters(), p.estimate().tokens()}, true, false, true));
        }
        if (verified != null) {
            chart.add(new Chart.Series("verification run N, D", Chart.PALETTE[2], new double[] {verified.budget(), verified.budget()},
                    new double[] {verified.parameters(), verified.tokens()}, true, false, false));
        }
        chart.write(png);
    }

    static void accuracy(Path png, ScalingLaws laws, Prediction p, RunRecord verified) throws IOException {
        Sigmoid s = laws.accuracy();
        Chart chart = new Chart(String.format("Task accuracy vs gold-answer NLL per char: sigmoid, floor %.2f, k %.2f, x0 %.3f",
                s.floor(), s.slope(), s.midpoint()), "task NLL per character (nats)", "accuracy", false, false);
        List<RunRecord> runs = laws.curves().stream().flatMap(c -> c.runs().stream()).toList();
        double[] x = runs.stream().mapToDouble(RunRecord::taskNll).toArray();
        double[] y = runs.stream().mapToDouble(RunRecord::taskAcc).toArray();
        chart.add(new Chart.Series("sweep runs", Chart.PALETTE[0], x, y, true, false, false));
        double lo = java.util.Arrays.stream(x).min().orElse(0);
        double hi = java.util.Arrays.stream(x).max().orElse(1);
        if (p != null && Double.isFinite(p.estimate().taskNll())) {
            lo = Math.min(lo, p.estimate().taskNll());
        }
        double[] fx = new double[60];
        double[] fy = new double[60];
        for (int k = 0; k < fx.length; k++) {
            fx[k] = lo + (hi - lo) * k / (fx.length - 1);
            fy[k] = s.at(fx[k]);
        }
        chart.add(new Chart.Series("sigmoid fit", Chart.PALETTE[1], fx, fy, false, true, false));
        if (p != null) {
            chart.add(new Chart.Series("prediction", Chart.PALETTE[3], new double[] {p.estimate().taskNll()},
                    new double[] {p.estimate().accuracy()}, true, false, true));
        }
        if (verified != null && verified.hasTask()) {
            chart.add(new Chart.Series("verification run", Chart.PALETTE[2], new double[] {verified.taskNll()},
                    new double[] {verified.taskAcc()}, true, false, false));
        }
        chart.write(png);
    }
}
