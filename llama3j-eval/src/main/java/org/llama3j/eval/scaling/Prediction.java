package org.llama3j.eval.scaling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A prediction at a budget with uncertainty: the point estimate from all runs, and a 90% interval
 * (5th–95th percentile) from a bootstrap over runs — each replicate resamples, within every budget,
 * that budget's runs with replacement and refits everything; replicates whose fit fails (no
 * IsoFLOP minimum) are dropped and counted.
 */
public record Prediction(double budget, Point estimate, Point low, Point high, int replicates, int failed) {

    /** Compute-optimal parameters N*, tokens D*, loss L*, task NLL and accuracy (NaN when not fitted). */
    public record Point(double parameters, double tokens, double loss, double taskNll, double accuracy) {
    }

    public static Prediction at(List<RunRecord> runs, double chance, double budget, int replicates, long seed) {
        Point estimate = ScalingLaws.fit(runs, chance).predict(budget);
        Map<Double, List<RunRecord>> byBudget = new TreeMap<>();
        for (RunRecord r : runs) {
            byBudget.computeIfAbsent(r.budget(), b -> new ArrayList<>()).add(r);
        }
        Random rnd = new Random(seed);
        List<Point> points = new ArrayList<>();
        int failed = 0;
        for (int b = 0; b < replicates; b++) {
            List<RunRecord> sample = new ArrayList<>();
            for (List<RunRecord> rs : byBudget.values()) {
                for (int i = 0; i < rs.size(); i++) {
                    sample.add(rs.get(rnd.nextInt(rs.size())));
                }
            }
            try {
                points.add(ScalingLaws.fit(sample, chance).predict(budget));
            } catch (IllegalArgumentException e) {
                failed++;
            }
        }
        if (points.isEmpty()) {
            return new Prediction(budget, estimate, estimate, estimate, replicates, failed);
        }
        return new Prediction(budget, estimate, percentile(points, 0.05), percentile(points, 0.95), replicates, failed);
    }

    private static Point percentile(List<Point> points, double q) {
        return new Point(pct(points.stream().mapToDouble(Point::parameters).toArray(), q),
                pct(points.stream().mapToDouble(Point::tokens).toArray(), q),
                pct(points.stream().mapToDouble(Point::loss).toArray(), q),
                pct(points.stream().mapToDouble(Point::taskNll).toArray(), q),
                pct(points.stream().mapToDouble(Point::accuracy).toArray(), q));
    }

    /** Linear-interpolated quantile (numpy's default) over the finite values; NaN when there are none. */
    static double pct(double[] v, double q) {
        double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }
}
